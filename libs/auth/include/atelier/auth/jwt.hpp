// JSON Web Tokens (RFC 7519) signed with EdDSA over Ed25519 (RFC 8037): the tokens the identity
// service issues and every service verifies, with signing-key rotation and the JWKS to publish.
#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "atelier/core/clock.hpp"
#include "atelier/core/error.hpp"

namespace atelier::auth {

// Longer tokens are refused before any parsing: bounds the work a hostile header can cause.
inline constexpr size_t kMaxTokenBytes = 8 * 1024;

// An Ed25519 public key with its key id: what verifies signatures and what the JWKS publishes.
// Cheap to copy (shares its immutable key), safe to use from many threads.
class PublicKey {
 public:
  // `raw` is the 32-byte public key of RFC 8032.
  static Result<PublicKey> from_raw(std::string kid, std::string_view raw);
  // A JWK as jwk() writes it: kty OKP, crv Ed25519, x, kid; `use` and `alg`, when present, must
  // be "sig" and "EdDSA". Lets a verifier in another process import the identity service's JWKS.
  static Result<PublicKey> from_jwk(const boost::json::object& jwk);

  const std::string& kid() const;
  // The 32 raw bytes.
  std::string raw() const;
  // {"kty":"OKP","crv":"Ed25519","x":...,"kid":...,"use":"sig","alg":"EdDSA"}
  boost::json::object jwk() const;
  // True when `signature` (64 raw bytes) is this key's Ed25519 signature of `message`.
  bool verify(std::string_view message, std::string_view signature) const;

 private:
  struct Impl;
  explicit PublicKey(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
  friend class SigningKey;
};

// An Ed25519 private key with its key id (the JWT header's `kid`). Cheap to copy (shares its
// immutable key), safe to use from many threads. to_pem() is the secret: store it encrypted.
class SigningKey {
 public:
  // A fresh random key. Throws std::invalid_argument for an empty kid (a programming error).
  static SigningKey generate(std::string kid);
  // An unencrypted PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----") holding an Ed25519 key, as
  // to_pem() writes it. Other key types and encrypted PEM are refused (kInvalid).
  static Result<SigningKey> from_pem(std::string kid, std::string_view pem);
  // The 32-byte private key (seed) of RFC 8032, as in a JWK's `d`.
  static Result<SigningKey> from_seed(std::string kid, std::string_view seed);

  std::string to_pem() const;
  const std::string& kid() const;
  const PublicKey& public_key() const;
  boost::json::object public_jwk() const { return public_key().jwk(); }
  // The 64-byte Ed25519 signature of `message` (deterministic: same key and message, same bytes).
  std::string sign(std::string_view message) const;

 private:
  struct Impl;
  explicit SigningKey(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

// The claims Atelier's tokens carry. Times are NumericDate on the wire (whole seconds when
// signed). Empty optional strings and empty roles are left out of the token.
struct Claims {
  std::string iss;  // required
  std::string sub;  // required: user id, or client id for a client's own token
  // Required. On the wire a string, or an array of strings; after verification, the audience that
  // was accepted.
  std::string aud;
  std::string org;                 // the tenant: every row the token can reach is scoped by it
  std::vector<std::string> roles;  // in `org`
  std::string scope;               // space-separated OAuth2 scopes
  std::string jti;                 // unique id, for revocation lists
  TimePoint iat{};                 // required
  std::optional<TimePoint> nbf;
  TimePoint exp{};  // required
  // Any other claim (email, nonce, auth_time, ...). A key that names one of the claims above is
  // ignored when signing: the typed field wins.
  boost::json::object extra;
};

// One Ed25519 key that signs now, plus the public halves of the keys it replaced, each kept until
// `not_after` (when the last token it signed has expired) so rotation logs nobody out. All
// methods are safe to call from many threads at once.
class KeyRing {
 public:
  struct RetiredKey {
    PublicKey key;
    TimePoint not_after;
  };
  struct Entry {
    PublicKey key;
    std::optional<TimePoint> not_after;  // empty for the current signing key
  };

  explicit KeyRing(SigningKey current);
  KeyRing(KeyRing&&) noexcept;
  KeyRing& operator=(KeyRing&&) noexcept;
  ~KeyRing();

  // `next` signs from now on; the current key becomes verification-only until
  // now + max_token_lifetime. Pass the longest lifetime of any token the old key signed, plus
  // the verifiers' leeway. Refuses (kConflict) a kid already in the ring.
  Result<void> rotate(SigningKey next, TimePoint now, std::chrono::seconds max_token_lifetime);
  // Puts back a retired key, e.g. one read from storage at start-up. Refuses (kConflict) a kid
  // already in the ring.
  Result<void> add_retired(PublicKey key, TimePoint not_after);
  // Drops the retired keys whose not_after has passed; returns how many.
  size_t prune(TimePoint now);

  // A compact JWS of `claims` with the header {"alg":"EdDSA","typ":"JWT","kid":<current kid>}.
  std::string sign(const Claims& claims) const;
  // {"keys":[...]}: the current key first, then every retired key not yet pruned.
  std::string jwks_json() const;

  std::string current_kid() const;
  std::vector<RetiredKey> retired() const;
  std::optional<Entry> find(std::string_view kid) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

struct VerifyOptions {
  std::string issuer;    // required: the `iss` to accept
  std::string audience;  // required: the `aud` (or one of them) to accept
  TimePoint now;
  // Clock skew forgiven between the issuer and this verifier.
  std::chrono::seconds leeway{30};
};

// Verifies a compact JWS from `ring` and returns its claims. Every rejection is
// kUnauthenticated with a message that names the reason (for logs; clients should only see
// "invalid token"). Only "alg":"EdDSA" is accepted, checked before any key is looked up, so
// `none`, HMAC-with-the-public-key and other algorithm confusions fail; a `crit` header, an
// unknown or missing kid, a bad signature, exp <= now - leeway, nbf or iat > now + leeway, a
// retired key past its not_after (+ leeway), another issuer or audience all fail. Keys the token
// names itself (jwk, jku, x5u, x5c) are never used. Never throws on hostile input. An empty
// issuer or audience in `options` is a configuration bug: kInternal.
Result<Claims> verify_jwt(std::string_view token, const KeyRing& ring,
                          const VerifyOptions& options);

}  // namespace atelier::auth
