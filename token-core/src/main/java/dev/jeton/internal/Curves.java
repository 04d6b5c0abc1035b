package dev.jeton.internal;

import dev.jeton.KeyException;
import dev.jeton.key.JwsAlgorithm;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.util.EnumMap;
import java.util.Map;

/** The NIST curves of ES256, ES384 and ES512. Not part of Jeton's API. */
public final class Curves {

    private static final Map<JwsAlgorithm, ECParameterSpec> SPECS = new EnumMap<>(JwsAlgorithm.class);

    static {
        SPECS.put(JwsAlgorithm.ES256, load("secp256r1"));
        SPECS.put(JwsAlgorithm.ES384, load("secp384r1"));
        SPECS.put(JwsAlgorithm.ES512, load("secp521r1"));
    }

    private Curves() {
    }

    private static ECParameterSpec load(String name) {
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec(name));
            return parameters.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    public static ECParameterSpec forAlgorithm(JwsAlgorithm alg) {
        ECParameterSpec spec = SPECS.get(alg);
        if (spec == null) {
            throw new IllegalArgumentException(alg + " is not an ECDSA algorithm");
        }
        return spec;
    }

    /** The ECDSA algorithm for a key on one of the three curves. */
    public static JwsAlgorithm algorithmFor(ECParameterSpec params) {
        for (Map.Entry<JwsAlgorithm, ECParameterSpec> e : SPECS.entrySet()) {
            if (sameCurve(params, e.getValue())) {
                return e.getKey();
            }
        }
        throw new KeyException("EC key is not on P-256, P-384 or P-521");
    }

    public static String name(JwsAlgorithm alg) {
        return switch (alg) {
            case ES256 -> "P-256";
            case ES384 -> "P-384";
            case ES512 -> "P-521";
            default -> throw new IllegalArgumentException(alg + " is not an ECDSA algorithm");
        };
    }

    public static boolean sameCurve(ECParameterSpec a, ECParameterSpec b) {
        return a != null && b != null
                && a.getCurve().equals(b.getCurve())
                && a.getOrder().equals(b.getOrder())
                && a.getGenerator().equals(b.getGenerator())
                && a.getCofactor() == b.getCofactor();
    }
}
