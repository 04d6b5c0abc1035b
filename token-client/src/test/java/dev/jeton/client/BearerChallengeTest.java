package dev.jeton.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BearerChallengeTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "Bearer error=\"invalid_token\"",
        "Bearer realm=\"api\", error=\"invalid_token\", error_description=\"The access token expired\"",
        "bearer error=invalid_token",
        "Basic realm=\"x\", Bearer realm=\"api\", error=\"invalid_token\"",
        "Negotiate abc==, Bearer error = \"invalid_token\"",
        "Bearer error_description=\"has, a comma and \\\"quotes\\\"\", error=\"invalid_token\""
    })
    void aBearerChallengeWithInvalidTokenIsRecognised(String header) {
        assertThat(BearerChallenge.isInvalidToken(List.of(header))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Bearer realm=\"api\"",
        "Bearer error=\"insufficient_scope\"",
        "Basic realm=\"x\", error=\"invalid_token\"",
        "DPoP error=\"invalid_token\", Bearer realm=\"api\"",
        "Bearer error_description=\"error=invalid_token\"",
        "Bearer error=\"invalid_token",
        ""
    })
    void anythingElseIsNot(String header) {
        assertThat(BearerChallenge.isInvalidToken(List.of(header))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Basic realm=\"x\"", "Bearer realm=\"api\""})
    void anyOfSeveralHeaderValuesMayCarryIt(String other) {
        assertThat(BearerChallenge.isInvalidToken(List.of(other, "Bearer error=\"invalid_token\""))).isTrue();
    }
}
