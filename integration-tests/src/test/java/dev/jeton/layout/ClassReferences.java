package dev.jeton.layout;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The types a compiled class uses, read from its constant pool (JVMS §4.4): every class it names and every type in its
 * field, method and signature descriptors, so a use inside a method body counts as much as one in a signature. Text
 * constants (string literals) are left out.
 */
final class ClassReferences {

    private static final Pattern TYPE = Pattern.compile("[A-Za-z_$][\\w$]*(?:/[A-Za-z_$][\\w$]*)+");

    private ClassReferences() {
    }

    /** The binary names ({@code a.b.C$D}) of the types the class file uses that start with {@code packagePrefix}. */
    static Set<String> of(byte[] classFile, String packagePrefix) {
        String internalPrefix = packagePrefix.replace('.', '/');
        Set<String> found = new TreeSet<>();
        for (String utf8 : names(classFile)) {
            Matcher type = TYPE.matcher(utf8);
            while (type.find()) {
                if (type.group().startsWith(internalPrefix)) {
                    found.add(type.group().replace('/', '.'));
                }
            }
        }
        return found;
    }

    /** Every UTF-8 constant of the pool except those that serve only as the text of string literals. */
    private static Set<String> names(byte[] classFile) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile))) {
            if (in.readInt() != 0xCAFEBABE) {
                throw new IllegalArgumentException("not a class file");
            }
            in.readInt(); // minor and major version
            int count = in.readUnsignedShort();
            String[] utf8 = new String[count];
            Set<Integer> literals = new HashSet<>();
            Set<Integer> classes = new HashSet<>();
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> utf8[i] = in.readUTF();
                    case 8 -> literals.add(in.readUnsignedShort());
                    case 7 -> classes.add(in.readUnsignedShort());
                    case 16, 19, 20 -> in.readUnsignedShort();
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> in.readInt();
                    case 5, 6 -> {
                        in.readLong();
                        i++;
                    }
                    case 15 -> {
                        in.readUnsignedByte();
                        in.readUnsignedShort();
                    }
                    default -> throw new IllegalArgumentException("unknown constant pool tag " + tag + " at " + i);
                }
            }
            Set<String> names = new HashSet<>();
            for (int i = 1; i < count; i++) {
                if (utf8[i] != null && (classes.contains(i) || !literals.contains(i))) {
                    names.add(utf8[i]);
                }
            }
            return names;
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated class file", e);
        }
    }
}
