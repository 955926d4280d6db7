package io.huddle.user;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;

/** A registered user; {@code password} holds a bcrypt hash, never the password. */
@Entity
@Table(name = "users")
public class User extends PanacheEntityBase {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(nullable = false, unique = true)
  public String username;

  @Column(nullable = false)
  public String password;

  @Column(nullable = false, unique = true)
  public String email;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;

  public static Optional<User> findByEmail(String email) {
    return find("email", email).firstResultOptional();
  }
}
