package dev.jeton.spring.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Import;

/**
 * For an application's {@code @SpringBootTest}: Jeton keeps its state in memory and reads time from a
 * {@link dev.jeton.testing.TestClock} bean the test moves by hand, whatever the application configures. Inject the
 * clock to let tokens expire without sleeping:
 *
 * <pre>{@code
 * @SpringBootTest
 * @AutoConfigureJetonTest
 * class ApiTest {
 *     @Autowired TestClock clock;
 *     @Autowired TokenService tokens;
 *
 *     @Test
 *     void expiredTokenIsRefused() {
 *         String token = tokens.issue(IssueRequest.forSubject("alice").client("web").build()).accessToken();
 *         clock.advance(Duration.ofHours(1));
 *         // call the API with the token: 401
 *     }
 * }
 * }</pre>
 *
 * <p>Both beans are {@code @Primary}, so they win over the application's own {@code TokenStore} or {@code Clock}, and
 * the JDBC store is not created. The clock starts at a fixed instant; each test class with this annotation gets its
 * own application context only if its configuration otherwise differs. {@code TestClock} comes from
 * {@code token-test}, which the application's tests depend on.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Import(JetonTestConfiguration.class)
public @interface AutoConfigureJetonTest {
}
