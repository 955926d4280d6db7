package io.huddle.user;

import io.huddle.auth.TokenService;
import io.huddle.auth.TokenService.IssuedToken;
import io.huddle.common.ApiException;
import io.huddle.common.RequestValidator;
import io.huddle.limit.RateLimits;
import io.huddle.user.UserRecords.LoginRequest;
import io.huddle.user.UserRecords.LoginResponse;
import io.huddle.user.UserRecords.SignupRequest;
import io.huddle.user.UserRecords.UserResponse;
import io.quarkus.elytron.security.common.BcryptUtil;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.hibernate.exception.ConstraintViolationException;

/** Sign-up and log-in rules. */
@ApplicationScoped
public class UserService {
  static final String BAD_CREDENTIALS = "Email or password is incorrect";
  private static final int BCRYPT_COST = 10;

  /**
   * Checked when the email is unknown, so that a miss costs one bcrypt verification like a hit (no
   * user enumeration by timing).
   */
  private static final String DUMMY_HASH =
      BcryptUtil.bcryptHash("not-a-real-password", BCRYPT_COST);

  private final RequestValidator validator;
  private final TokenService tokens;
  private final RateLimits limits;

  public UserService(RequestValidator validator, TokenService tokens, RateLimits limits) {
    this.validator = validator;
    this.tokens = tokens;
    this.limits = limits;
  }

  /** One result of a successful login: what the client sees, and the token for the cookie. */
  public record Login(LoginResponse body, IssuedToken token) {}

  /**
   * @param address the client's address, for the sign-up rate limit
   */
  @Transactional
  public UserResponse signup(SignupRequest request, String address) {
    validator.check(request);
    limits.beforeSignup(address);
    int passwordBytes = request.password().getBytes(StandardCharsets.UTF_8).length;
    if (passwordBytes < 8 || passwordBytes > 72) {
      throw ApiException.badRequest("password must be 8-72 bytes long");
    }
    User user = new User();
    user.username = request.username();
    user.email = request.email().toLowerCase(Locale.ROOT);
    user.password = BcryptUtil.bcryptHash(request.password(), BCRYPT_COST);
    user.createdAt = Instant.now();
    try {
      // Flush now so the unique constraints answer here, not at commit time.
      user.persistAndFlush();
    } catch (ConstraintViolationException e) {
      String constraint = String.valueOf(e.getConstraintName());
      if (constraint.contains("email")) {
        throw ApiException.conflict("That email is already registered");
      }
      if (constraint.contains("username")) {
        throw ApiException.conflict("That username is already taken");
      }
      throw e;
    }
    return UserResponse.of(user);
  }

  /**
   * @param address the client's address, for the log-in rate limits
   */
  public Login login(LoginRequest request, String address) {
    validator.check(request);
    limits.beforeLogin(address, request.email());
    Optional<User> found = User.findByEmail(request.email().toLowerCase(Locale.ROOT));
    String hash = found.map(u -> u.password).orElse(DUMMY_HASH);
    boolean matches = BcryptUtil.matches(request.password(), hash);
    if (found.isEmpty() || !matches) {
      limits.loginFailed(request.email());
      throw ApiException.unauthorized(BAD_CREDENTIALS);
    }
    User user = found.get();
    IssuedToken token = tokens.issue(user.id, user.username);
    return new Login(
        new LoginResponse(String.valueOf(user.id), user.username, token.token(), token.expiresAt()),
        token);
  }

  @Transactional
  public Optional<UserResponse> findById(long id) {
    return User.<User>findByIdOptional(id).map(UserResponse::of);
  }
}
