#include "atelier/auth/jwt.hpp"

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <mutex>
#include <shared_mutex>
#include <stdexcept>
#include <tuple>

#include "atelier/auth/encoding.hpp"

namespace atelier::auth {
namespace json = boost::json;

namespace {

constexpr size_t kKeyBytes = 32;
constexpr size_t kSignatureBytes = 64;
constexpr size_t kMaxPemBytes = 16 * 1024;
// 9999-12-31T23:59:59Z: later NumericDates are refused rather than risking overflow.
constexpr int64_t kMaxNumericDate = 253'402'300'799;

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};
struct BioFree {
  void operator()(BIO* p) const { BIO_free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;
using BioPtr = std::unique_ptr<BIO, BioFree>;

const unsigned char* bytes_of(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

Error unauthenticated(std::string message) {
  return {ErrorCode::kUnauthenticated, std::move(message), {}, {}};
}

// Refuses to prompt on the terminal for an encrypted PEM's passphrase (OpenSSL's default).
int no_passphrase(char* /*buf*/, int /*size*/, int /*rwflag*/, void* /*u*/) {
  return -1;
}

std::string raw_public_key(EVP_PKEY* pkey) {
  std::string raw(kKeyBytes, '\0');
  size_t length = raw.size();
  if (EVP_PKEY_get_raw_public_key(pkey, reinterpret_cast<unsigned char*>(raw.data()), &length) !=
          1 ||
      length != kKeyBytes) {
    ERR_clear_error();
    throw std::runtime_error("atelier::auth: cannot read an Ed25519 public key");
  }
  return raw;
}

int64_t numeric_date(TimePoint t) {
  return std::chrono::floor<std::chrono::seconds>(t).time_since_epoch().count();
}

}  // namespace

// ---- PublicKey ----

struct PublicKey::Impl {
  std::string kid;
  std::string raw;
  PkeyPtr pkey;
};

Result<PublicKey> PublicKey::from_raw(std::string kid, std::string_view raw) {
  if (kid.empty()) {
    return Error::invalid("a key needs a kid");
  }
  if (raw.size() != kKeyBytes) {
    return Error::invalid("an Ed25519 public key is 32 bytes");
  }
  PkeyPtr pkey(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, bytes_of(raw), raw.size()));
  if (!pkey) {
    ERR_clear_error();
    return Error::invalid("not an Ed25519 public key");
  }
  return PublicKey(
      std::make_shared<const Impl>(Impl{std::move(kid), std::string(raw), std::move(pkey)}));
}

Result<PublicKey> PublicKey::from_jwk(const json::object& jwk) {
  const auto text = [&](std::string_view name) -> std::optional<std::string_view> {
    const json::value* v = jwk.if_contains(name);
    if (v == nullptr || !v->is_string()) {
      return std::nullopt;
    }
    return std::string_view(v->get_string());
  };
  if (text("kty") != "OKP" || text("crv") != "Ed25519") {
    return Error::invalid("JWK is not an Ed25519 (OKP) key");
  }
  if ((jwk.contains("use") && text("use") != "sig") ||
      (jwk.contains("alg") && text("alg") != "EdDSA")) {
    return Error::invalid("JWK is not meant for EdDSA signatures");
  }
  if (jwk.contains("d")) {
    return Error::invalid("JWK holds a private key: refusing to treat it as public");
  }
  const auto kid = text("kid");
  const auto x = text("x");
  if (!kid || !x) {
    return Error::invalid("JWK lacks kid or x");
  }
  const auto raw = base64url_decode(*x);
  if (!raw) {
    return Error::invalid("JWK x is not base64url");
  }
  return from_raw(std::string(*kid), *raw);
}

const std::string& PublicKey::kid() const {
  return impl_->kid;
}

std::string PublicKey::raw() const {
  return impl_->raw;
}

json::object PublicKey::jwk() const {
  json::object jwk;
  jwk["kty"] = "OKP";
  jwk["crv"] = "Ed25519";
  jwk["x"] = base64url_encode(impl_->raw);
  jwk["kid"] = impl_->kid;
  jwk["use"] = "sig";
  jwk["alg"] = "EdDSA";
  return jwk;
}

bool PublicKey::verify(std::string_view message, std::string_view signature) const {
  if (signature.size() != kSignatureBytes) {
    return false;
  }
  MdCtxPtr ctx(EVP_MD_CTX_new());
  // Ed25519 hashes internally (PureEdDSA): no digest is named.
  const bool ok =
      ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, impl_->pkey.get()) == 1 &&
      EVP_DigestVerify(ctx.get(), bytes_of(signature), signature.size(), bytes_of(message),
                       message.size()) == 1;
  if (!ok) {
    ERR_clear_error();  // leave no stale error for the next OpenSSL user on this thread
  }
  return ok;
}

// ---- SigningKey ----

struct SigningKey::Impl {
  std::string kid;
  PkeyPtr pkey;
  PublicKey public_key;
};

namespace {

// Builds a SigningKey's parts from an Ed25519 private key. A template only because
// SigningKey::Impl is private: the members that call this name the type for it.
template <class Impl>
std::shared_ptr<const Impl> make_signing_impl(std::string kid, PkeyPtr pkey) {
  const std::string raw = raw_public_key(pkey.get());
  auto public_key = PublicKey::from_raw(kid, raw);
  if (!public_key) {
    throw std::runtime_error("atelier::auth: " + public_key.error().message);
  }
  return std::make_shared<const Impl>(
      Impl{std::move(kid), std::move(pkey), std::move(public_key).value()});
}

}  // namespace

SigningKey SigningKey::generate(std::string kid) {
  if (kid.empty()) {
    throw std::invalid_argument("atelier::auth::SigningKey: a key needs a kid");
  }
  PkeyPtr pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  if (!pkey) {
    ERR_clear_error();
    throw std::runtime_error("atelier::auth: Ed25519 key generation failed");
  }
  return SigningKey(make_signing_impl<Impl>(std::move(kid), std::move(pkey)));
}

Result<SigningKey> SigningKey::from_pem(std::string kid, std::string_view pem) {
  if (kid.empty()) {
    return Error::invalid("a key needs a kid");
  }
  if (pem.empty() || pem.size() > kMaxPemBytes) {
    return Error::invalid("not a PEM private key of a plausible size");
  }
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) {
    throw std::bad_alloc();
  }
  PkeyPtr pkey(PEM_read_bio_PrivateKey(bio.get(), nullptr, no_passphrase, nullptr));
  if (!pkey) {
    ERR_clear_error();
    return Error::invalid("not an unencrypted PKCS#8 PEM private key");
  }
  if (EVP_PKEY_is_a(pkey.get(), "ED25519") != 1) {
    return Error::invalid("PEM holds a private key that is not Ed25519");
  }
  return SigningKey(make_signing_impl<Impl>(std::move(kid), std::move(pkey)));
}

Result<SigningKey> SigningKey::from_seed(std::string kid, std::string_view seed) {
  if (kid.empty()) {
    return Error::invalid("a key needs a kid");
  }
  if (seed.size() != kKeyBytes) {
    return Error::invalid("an Ed25519 private key is 32 bytes");
  }
  PkeyPtr pkey(
      EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, bytes_of(seed), seed.size()));
  if (!pkey) {
    ERR_clear_error();
    return Error::invalid("not an Ed25519 private key");
  }
  return SigningKey(make_signing_impl<Impl>(std::move(kid), std::move(pkey)));
}

std::string SigningKey::to_pem() const {
  // Secure-heap memory BIO when OpenSSL has a secure heap; an ordinary one otherwise.
  BioPtr bio(BIO_new(BIO_s_secmem()));
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), impl_->pkey.get(), nullptr, nullptr, 0, nullptr,
                                       nullptr) != 1) {
    ERR_clear_error();
    throw std::runtime_error("atelier::auth: cannot write the key as PEM");
  }
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(length));
}

const std::string& SigningKey::kid() const {
  return impl_->kid;
}

const PublicKey& SigningKey::public_key() const {
  return impl_->public_key;
}

std::string SigningKey::sign(std::string_view message) const {
  std::string signature(kSignatureBytes, '\0');
  size_t length = signature.size();
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, impl_->pkey.get()) != 1 ||
      EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &length,
                     bytes_of(message), message.size()) != 1 ||
      length != kSignatureBytes) {
    ERR_clear_error();
    throw std::runtime_error("atelier::auth: Ed25519 signing failed");
  }
  return signature;
}

// ---- KeyRing ----

struct KeyRing::Impl {
  mutable std::shared_mutex mutex;
  SigningKey current;
  std::vector<RetiredKey> retired;

  bool holds(std::string_view kid) const {
    return current.kid() == kid ||
           std::any_of(retired.begin(), retired.end(),
                       [&](const RetiredKey& r) { return r.key.kid() == kid; });
  }
};

KeyRing::KeyRing(SigningKey current)
    : impl_(std::unique_ptr<Impl>(new Impl{{}, std::move(current), {}})) {}
KeyRing::KeyRing(KeyRing&&) noexcept = default;
KeyRing& KeyRing::operator=(KeyRing&&) noexcept = default;
KeyRing::~KeyRing() = default;

Result<void> KeyRing::rotate(SigningKey next, TimePoint now,
                             std::chrono::seconds max_token_lifetime) {
  std::unique_lock lock(impl_->mutex);
  if (impl_->holds(next.kid())) {
    return Error::conflict("kid is already in the key ring");
  }
  impl_->retired.push_back({impl_->current.public_key(), now + max_token_lifetime});
  impl_->current = std::move(next);
  return {};
}

Result<void> KeyRing::add_retired(PublicKey key, TimePoint not_after) {
  std::unique_lock lock(impl_->mutex);
  if (impl_->holds(key.kid())) {
    return Error::conflict("kid is already in the key ring");
  }
  impl_->retired.push_back({std::move(key), not_after});
  return {};
}

size_t KeyRing::prune(TimePoint now) {
  std::unique_lock lock(impl_->mutex);
  const size_t before = impl_->retired.size();
  std::erase_if(impl_->retired, [&](const RetiredKey& r) { return r.not_after < now; });
  return before - impl_->retired.size();
}

std::string KeyRing::sign(const Claims& claims) const {
  const SigningKey key = [&] {
    std::shared_lock lock(impl_->mutex);
    return impl_->current;
  }();

  json::object header;
  header["alg"] = "EdDSA";
  header["typ"] = "JWT";
  header["kid"] = key.kid();

  json::object payload;
  payload["iss"] = claims.iss;
  payload["sub"] = claims.sub;
  payload["aud"] = claims.aud;
  if (!claims.org.empty()) {
    payload["org"] = claims.org;
  }
  if (!claims.roles.empty()) {
    json::array roles;
    for (const auto& role : claims.roles) {
      roles.emplace_back(role);
    }
    payload["roles"] = std::move(roles);
  }
  if (!claims.scope.empty()) {
    payload["scope"] = claims.scope;
  }
  if (!claims.jti.empty()) {
    payload["jti"] = claims.jti;
  }
  payload["iat"] = numeric_date(claims.iat);
  if (claims.nbf) {
    payload["nbf"] = numeric_date(*claims.nbf);
  }
  payload["exp"] = numeric_date(claims.exp);
  for (const auto& member : claims.extra) {
    payload.emplace(member.key(), member.value());  // does not replace a typed claim
  }

  std::string token = base64url_encode(json::serialize(header));
  token.push_back('.');
  token += base64url_encode(json::serialize(payload));
  const std::string signature = key.sign(token);
  token.push_back('.');
  token += base64url_encode(signature);
  return token;
}

std::string KeyRing::jwks_json() const {
  json::array keys;
  {
    std::shared_lock lock(impl_->mutex);
    keys.emplace_back(impl_->current.public_jwk());
    for (const auto& r : impl_->retired) {
      keys.emplace_back(r.key.jwk());
    }
  }
  json::object jwks;
  jwks["keys"] = std::move(keys);
  return json::serialize(jwks);
}

std::string KeyRing::current_kid() const {
  std::shared_lock lock(impl_->mutex);
  return impl_->current.kid();
}

std::vector<KeyRing::RetiredKey> KeyRing::retired() const {
  std::shared_lock lock(impl_->mutex);
  return impl_->retired;
}

std::optional<KeyRing::Entry> KeyRing::find(std::string_view kid) const {
  std::shared_lock lock(impl_->mutex);
  if (impl_->current.kid() == kid) {
    return Entry{impl_->current.public_key(), std::nullopt};
  }
  for (const auto& r : impl_->retired) {
    if (r.key.kid() == kid) {
      return Entry{r.key, r.not_after};
    }
  }
  return std::nullopt;
}

// ---- verification ----

namespace {

std::optional<json::object> parse_object(std::string_view text) {
  boost::system::error_code ec;
  json::value value = json::parse(text, ec);
  if (ec || !value.is_object()) {
    return std::nullopt;
  }
  return std::move(value.get_object());
}

Result<std::optional<std::string>> string_claim(const json::object& payload, std::string_view name,
                                                bool required) {
  const json::value* v = payload.if_contains(name);
  if (v == nullptr) {
    if (required) {
      return unauthenticated("token is malformed: claim " + std::string(name) + " is missing");
    }
    return std::optional<std::string>();
  }
  if (!v->is_string()) {
    return unauthenticated("token is malformed: claim " + std::string(name) + " is not a string");
  }
  return std::optional<std::string>(std::string(v->get_string()));
}

Result<std::optional<TimePoint>> time_claim(const json::object& payload, std::string_view name,
                                            bool required) {
  const json::value* v = payload.if_contains(name);
  if (v == nullptr) {
    if (required) {
      return unauthenticated("token is malformed: claim " + std::string(name) + " is missing");
    }
    return std::optional<TimePoint>();
  }
  // Whole seconds (what every issuer writes) convert exactly; fractions to the microsecond.
  int64_t us = 0;
  bool in_range = false;
  if (v->is_int64()) {
    const int64_t seconds = v->get_int64();
    in_range = seconds >= 0 && seconds <= kMaxNumericDate;
    us = in_range ? seconds * 1'000'000 : 0;
  } else if (v->is_uint64()) {
    in_range = false;  // only values above INT64_MAX parse as uint64
  } else if (v->is_double()) {
    const double seconds = v->get_double();
    // The positive form of the comparison also refuses NaN.
    in_range = seconds >= 0 && seconds <= static_cast<double>(kMaxNumericDate);
    us = in_range ? static_cast<int64_t>(seconds * 1e6) : 0;
  } else {
    return unauthenticated("token is malformed: claim " + std::string(name) +
                           " is not a NumericDate");
  }
  if (!in_range) {
    return unauthenticated("token is malformed: claim " + std::string(name) + " is out of range");
  }
  return std::optional<TimePoint>(TimePoint(std::chrono::microseconds(us)));
}

Result<Claims> verify_unchecked(std::string_view token, const KeyRing& ring,
                                const VerifyOptions& options) {
  if (options.issuer.empty() || options.audience.empty()) {
    return Error::internal("JWT verifier needs an expected issuer and audience");
  }
  if (token.size() > kMaxTokenBytes) {
    return unauthenticated("token is too long");
  }
  const size_t dot1 = token.find('.');
  const size_t dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos) {
    return unauthenticated("token is malformed: expected three parts separated by dots");
  }
  const std::string_view header_b64 = token.substr(0, dot1);
  const std::string_view payload_b64 = token.substr(dot1 + 1, dot2 - dot1 - 1);
  const std::string_view signature_b64 = token.substr(dot2 + 1);

  // The header decides nothing but which of our keys to try, and only after the algorithm is
  // pinned: a token never chooses how it is checked.
  const auto header_json = base64url_decode(header_b64);
  if (!header_json) {
    return unauthenticated("token is malformed: header is not base64url");
  }
  const auto header = parse_object(*header_json);
  if (!header) {
    return unauthenticated("token is malformed: header is not a JSON object");
  }
  const json::value* alg = header->if_contains("alg");
  if (alg == nullptr || !alg->is_string() || alg->get_string() != "EdDSA") {
    return unauthenticated("token algorithm is not accepted: only EdDSA is");
  }
  if (header->contains("crit")) {
    return unauthenticated("token header has crit extensions, which are not supported");
  }
  const json::value* kid = header->if_contains("kid");
  if (kid == nullptr) {
    return unauthenticated("token header has no kid");
  }
  if (!kid->is_string()) {
    return unauthenticated("token header kid is not a string");
  }
  const auto entry = ring.find(std::string_view(kid->get_string()));
  if (!entry) {
    return unauthenticated("token signing key (kid) is unknown");
  }

  const auto signature = base64url_decode(signature_b64);
  if (!signature || signature->size() != kSignatureBytes) {
    return unauthenticated("token signature is malformed");
  }
  if (!entry->key.verify(token.substr(0, dot2), *signature)) {
    return unauthenticated("token signature is invalid");
  }

  // Only now, with the payload authenticated, is it parsed.
  const auto payload_json = base64url_decode(payload_b64);
  if (!payload_json) {
    return unauthenticated("token is malformed: payload is not base64url");
  }
  auto payload = parse_object(*payload_json);
  if (!payload) {
    return unauthenticated("token is malformed: payload is not a JSON object");
  }

  Claims claims;
  for (const auto& [name, field, required] :
       {std::tuple{"iss", &Claims::iss, true}, std::tuple{"sub", &Claims::sub, true},
        std::tuple{"org", &Claims::org, false}, std::tuple{"scope", &Claims::scope, false},
        std::tuple{"jti", &Claims::jti, false}}) {
    auto value = string_claim(*payload, name, required);
    if (!value) {
      return std::move(value).error();
    }
    if (*value) {
      claims.*field = std::move(**value);
    }
  }

  const json::value* aud = payload->if_contains("aud");
  std::vector<std::string_view> audiences;
  if (aud != nullptr && aud->is_string()) {
    audiences.push_back(aud->get_string());
  } else if (aud != nullptr && aud->is_array() && !aud->get_array().empty()) {
    for (const auto& a : aud->get_array()) {
      if (!a.is_string()) {
        return unauthenticated("token is malformed: claim aud holds a non-string");
      }
      audiences.push_back(a.get_string());
    }
  } else if (aud == nullptr) {
    return unauthenticated("token is malformed: claim aud is missing");
  } else {
    return unauthenticated("token is malformed: claim aud is not a string or array of strings");
  }

  if (const json::value* roles = payload->if_contains("roles")) {
    if (!roles->is_array()) {
      return unauthenticated("token is malformed: claim roles is not an array");
    }
    for (const auto& r : roles->get_array()) {
      if (!r.is_string()) {
        return unauthenticated("token is malformed: claim roles holds a non-string");
      }
      claims.roles.emplace_back(r.get_string());
    }
  }

  auto iat = time_claim(*payload, "iat", true);
  if (!iat) {
    return std::move(iat).error();
  }
  auto exp = time_claim(*payload, "exp", true);
  if (!exp) {
    return std::move(exp).error();
  }
  auto nbf = time_claim(*payload, "nbf", false);
  if (!nbf) {
    return std::move(nbf).error();
  }
  claims.iat = **iat;
  claims.exp = **exp;
  claims.nbf = *nbf;

  const TimePoint now = options.now;
  if (claims.exp <= now - options.leeway) {
    return unauthenticated("token has expired");
  }
  if (claims.nbf && *claims.nbf > now + options.leeway) {
    return unauthenticated("token is not valid yet (nbf)");
  }
  if (claims.iat > now + options.leeway) {
    return unauthenticated("token was issued in the future (iat)");
  }
  if (entry->not_after && *entry->not_after < now - options.leeway) {
    return unauthenticated("token signing key has been retired");
  }
  if (claims.iss != options.issuer) {
    return unauthenticated("token issuer is not accepted");
  }
  if (std::find(audiences.begin(), audiences.end(), options.audience) == audiences.end()) {
    return unauthenticated("token audience is not accepted");
  }
  claims.aud = options.audience;

  for (const auto& member : *payload) {
    static constexpr std::string_view kRegistered[] = {"iss",   "sub", "aud", "org", "roles",
                                                       "scope", "jti", "iat", "nbf", "exp"};
    if (std::find(std::begin(kRegistered), std::end(kRegistered), member.key()) ==
        std::end(kRegistered)) {
      claims.extra.emplace(member.key(), member.value());
    }
  }
  return claims;
}

}  // namespace

Result<Claims> verify_jwt(std::string_view token, const KeyRing& ring,
                          const VerifyOptions& options) {
  try {
    return verify_unchecked(token, ring, options);
  } catch (const std::exception&) {
    // Out of memory, in practice: the token is refused rather than letting it crash a handler.
    return unauthenticated("token could not be read");
  }
}

}  // namespace atelier::auth
