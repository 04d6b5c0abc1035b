package dev.jeton.examples;

import java.security.SecureRandom;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * The demo's users and OAuth clients. Passwords and client secrets are kept only as BCrypt hashes (Bouncy Castle's
 * {@link OpenBSDBCrypt}); an unknown name still costs one BCrypt check, so response time does not reveal which
 * names exist.
 */
final class Accounts {

    /** A registered OAuth client: confidential when it has a secret hash. */
    /**
     * A registered client. {@code reuse}: refreshed in REUSE mode (the same refresh token back, as the reference
     * provider does); {@code cookie}: a browser client whose refresh token lives in an HttpOnly cookie.
     */
    record Client(String id, Optional<String> secretHash, Set<String> allowedScopes, boolean reuse, boolean cookie) {
    }

    private static final int COST = 10;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, String> userPasswordHashes;
    private final Map<String, Client> clients;
    private final String dummyHash = hash("not a real password");

    Accounts(Map<String, String> users, Map<String, Client> clients) {
        this.userPasswordHashes = Map.copyOf(users);
        this.clients = Map.copyOf(clients);
    }

    /**
     * The demo accounts: user alice (password {@code wonderland}); confidential clients {@code web} (secret
     * {@code web-secret}) and {@code legacy} (secret {@code legacy-secret}, REUSE mode); public clients {@code cli} and
     * {@code spa} (refresh token in a cookie).
     */
    static Accounts demo() {
        Set<String> scopes = Collections.unmodifiableSet(new LinkedHashSet<>(
                List.of("openid", "profile", "email", "api:read")));
        return new Accounts(
                Map.of("alice", hash("wonderland"), "bob", hash("builder")),
                Map.of("web", new Client("web", Optional.of(hash("web-secret")), scopes, false, false),
                        "legacy", new Client("legacy", Optional.of(hash("legacy-secret")), scopes, true, false),
                        "cli", new Client("cli", Optional.empty(), scopes, false, false),
                        "spa", new Client("spa", Optional.empty(), scopes, false, true)));
    }

    static String hash(String secret) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return OpenBSDBCrypt.generate(secret.toCharArray(), salt, COST);
    }

    boolean checkUser(String username, String password) {
        String stored = userPasswordHashes.get(username);
        boolean matches = OpenBSDBCrypt.checkPassword(stored != null ? stored : dummyHash, password.toCharArray());
        return stored != null && matches;
    }

    /**
     * The client, if {@code id} is registered and authenticates: a confidential client must present its secret, a
     * public one must present none.
     */
    Optional<Client> authenticate(String id, String secret) {
        Client client = clients.get(id);
        if (client == null) {
            OpenBSDBCrypt.checkPassword(dummyHash, (secret == null ? "" : secret).toCharArray());
            return Optional.empty();
        }
        if (client.secretHash().isEmpty()) {
            return secret == null ? Optional.of(client) : Optional.empty();
        }
        return secret != null && OpenBSDBCrypt.checkPassword(client.secretHash().get(), secret.toCharArray())
                ? Optional.of(client) : Optional.empty();
    }
}
