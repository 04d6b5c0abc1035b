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

    @Test
    void tokensHaveThePrefixFortyThreeBase62CharactersAndASixCharacterChecksum() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            String token = codec.newToken();
            assertThat(token).matches("jrt_[0-9A-Za-z]{49}");
            assertThat(codec.isWellFormed(token)).isTrue();
            seen.add(token);
        }
        assertThat(seen).hasSize(1_000);
    }

    @Test
    void anyChangedTruncatedOrForeignTokenIsNotWellFormed() {
        String token = codec.newToken();
        for (int i = 4; i < token.length(); i++) {
            char c = token.charAt(i);
            String changed = token.substring(0, i) + (c == 'a' ? 'b' : 'a') + token.substring(i + 1);
            assertThat(codec.isWellFormed(changed)).as("character %d changed", i).isFalse();
        }
        assertThat(codec.isWellFormed(token.substring(0, token.length() - 1))).isFalse();
        assertThat(codec.isWellFormed(token + "0")).isFalse();
        assertThat(codec.isWellFormed("xyz" + token.substring(3))).isFalse();
        assertThat(codec.isWellFormed(new RefreshTokenCodec("abc", null, new SecureRandom()).newToken())).isFalse();
        assertThat(codec.isWellFormed(null)).isFalse();
        assertThat(codec.isWellFormed(token.replace('_', '-'))).isFalse();
    }

    @Test
    void theHashIsSha256OrHmacUnderThePepper() throws Exception {
        String token = codec.newToken();
        String sha = Base64Url.encode(MessageDigest.getInstance("SHA-256")
                .digest(token.getBytes(StandardCharsets.US_ASCII)));
        RefreshTokenCodec peppered = new RefreshTokenCodec("jrt", new byte[32], new SecureRandom());

        assertThat(codec.hash(token)).isEqualTo(sha).hasSize(43);
        assertThat(peppered.hash(token)).isNotEqualTo(sha).hasSize(43);
        assertThat(peppered.isWellFormed(token)).isTrue();
    }

    @Test
    void aSealedSuccessorOpensOnlyWithThePresentedTokenAndItsHash() {
        String presented = codec.newToken();
        String successor = codec.newToken();
        String sealed = codec.seal(presented, codec.hash(presented), successor);

        assertThat(sealed).doesNotContain(successor).doesNotContain(successor.substring(4, 30));
        assertThat(codec.open(presented, codec.hash(presented), sealed)).isEqualTo(successor);
        String other = codec.newToken();
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
