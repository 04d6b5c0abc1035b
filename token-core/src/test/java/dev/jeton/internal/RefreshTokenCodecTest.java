package dev.jeton.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RefreshTokenCodecTest {

    private final RefreshTokenCodec codec = new RefreshTokenCodec("jrt", null, new SecureRandom());

    private String newToken() {
        return codec.newToken(codec.newFamilyReference(), 0);
    }

    @Test
    void tokensHaveThePrefixReferenceGenerationSecretAndChecksum() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            String token = newToken();
            assertThat(token).matches("jrt_[0-9A-Za-z]{77}");
            assertThat(codec.isWellFormed(token)).isTrue();
            seen.add(token);
        }
        assertThat(seen).hasSize(1_000);
    }

    @Test
    void aTokenNamesItsFamilyAndGenerationAndTheSecretIsFreshEachTime() {
        String reference = codec.newFamilyReference();
        String first = codec.newToken(reference, 41);
        String second = codec.newToken(reference, 41);

        RefreshTokenCodec.Parsed parsed = codec.parse(first).orElseThrow();
        assertThat(parsed.familyReference()).isEqualTo(reference);
        assertThat(parsed.generation()).isEqualTo(41);
        assertThat(parsed.familyId()).isEqualTo(RefreshTokenCodec.familyId(reference)).hasSize(22)
                .matches("[A-Za-z0-9_-]{22}");
        assertThat(second).isNotEqualTo(first);
        assertThat(codec.parse(second).orElseThrow()).isEqualTo(parsed);
        assertThat(codec.parse(codec.newToken(reference, RefreshTokenCodec.MAX_GENERATION)).orElseThrow()
                .generation()).isEqualTo(RefreshTokenCodec.MAX_GENERATION);
        assertThatThrownBy(() -> codec.newToken(reference, RefreshTokenCodec.MAX_GENERATION + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theSessionIdDoesNotContainTheFamilyReference() {
        String reference = codec.newFamilyReference();
        String id = RefreshTokenCodec.familyId(reference);

        assertThat(id).doesNotContain(reference.substring(0, 8));
        assertThat(RefreshTokenCodec.familyId(codec.newFamilyReference())).isNotEqualTo(id);
        assertThat(codec.parse("jrt_nope")).isEmpty();
    }

    @Test
    void anyChangedTruncatedOrForeignTokenIsNotWellFormed() {
        String token = newToken();
        for (int i = 4; i < token.length(); i++) {
            char c = token.charAt(i);
            String changed = token.substring(0, i) + (c == 'a' ? 'b' : 'a') + token.substring(i + 1);
            assertThat(codec.isWellFormed(changed)).as("character %d changed", i).isFalse();
        }
        assertThat(codec.isWellFormed(token.substring(0, token.length() - 1))).isFalse();
        assertThat(codec.isWellFormed(token + "0")).isFalse();
        assertThat(codec.isWellFormed("xyz" + token.substring(3))).isFalse();
        assertThat(codec.isWellFormed(new RefreshTokenCodec("abc", null, new SecureRandom()).newToken(codec.newFamilyReference(), 0))).isFalse();
        assertThat(codec.isWellFormed(null)).isFalse();
        assertThat(codec.isWellFormed(token.replace('_', '-'))).isFalse();
    }

    @Test
    void theHashIsSha256OrHmacUnderThePepper() throws Exception {
        String token = newToken();
        String sha = Base64Url.encode(MessageDigest.getInstance("SHA-256")
                .digest(token.getBytes(StandardCharsets.US_ASCII)));
        RefreshTokenCodec peppered = new RefreshTokenCodec("jrt", new byte[32], new SecureRandom());

        assertThat(codec.hash(token)).isEqualTo(sha).hasSize(43);
        assertThat(peppered.hash(token)).isNotEqualTo(sha).hasSize(43);
        assertThat(peppered.isWellFormed(token)).isTrue();
    }

    @Test
    void aSealedSuccessorOpensOnlyWithThePresentedTokenAndItsHash() {
        String presented = newToken();
        String successor = newToken();
        String sealed = codec.seal(presented, codec.hash(presented), successor);

        assertThat(sealed).doesNotContain(successor).doesNotContain(successor.substring(4, 30));
        assertThat(codec.open(presented, codec.hash(presented), sealed)).isEqualTo(successor);
        String other = newToken();
        assertThatThrownBy(() -> codec.open(other, codec.hash(presented), sealed))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining(presented);
        assertThatThrownBy(() -> codec.open(presented, codec.hash(other), sealed))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void prefixAndPepperAreChecked() {
        for (String bad : new String[] {"", "j", "JRT", "1ab", "a_b", "abcdefghijklmnopq"}) {
            assertThatThrownBy(() -> new RefreshTokenCodec(bad, null, new SecureRandom()))
                    .as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> new RefreshTokenCodec("jrt", new byte[31], new SecureRandom()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
