// Access-token costs on one core: signing and verifying an Ed25519 JWT as the identity service and
// the gateway do, against SHA-256 of the same bytes measured in the same run.
#include <benchmark/benchmark.h>

#include "atelier/auth/jwt.hpp"
#include "atelier/auth/secrets.hpp"

namespace {

using namespace atelier;

auth::Claims sample_claims(TimePoint now) {
  auth::Claims c;
  c.iss = "https://atelier.example";
  c.sub = "0190f5e2-7a4b-7c3d-8e9f-0123456789ab";
  c.aud = "atelier";
  c.org = "0190f5e2-7a4b-7c3d-8e9f-0123456789ac";
  c.roles = {"owner"};
  c.jti = "0190f5e2-7a4b-7c3d-8e9f-0123456789ad";
  c.iat = now;
  c.exp = now + std::chrono::minutes(15);
  return c;
}

void BM_SignAccessToken(benchmark::State& state) {
  auth::KeyRing ring(auth::SigningKey::generate("k1"));
  const auto claims = sample_claims(SystemClock::instance().now());
  for (auto _ : state) {
    benchmark::DoNotOptimize(ring.sign(claims));
  }
}
BENCHMARK(BM_SignAccessToken);

void BM_VerifyAccessToken(benchmark::State& state) {
  auth::KeyRing ring(auth::SigningKey::generate("k1"));
  const TimePoint now = SystemClock::instance().now();
  const std::string token = ring.sign(sample_claims(now));
  const auth::VerifyOptions options{"https://atelier.example", "atelier", now, {}};
  for (auto _ : state) {
    auto claims = auth::verify_jwt(token, ring, options);
    benchmark::DoNotOptimize(claims);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_VerifyAccessToken);

void BM_BaselineSha256OfToken(benchmark::State& state) {
  auth::KeyRing ring(auth::SigningKey::generate("k1"));
  const std::string token = ring.sign(sample_claims(SystemClock::instance().now()));
  for (auto _ : state) {
    benchmark::DoNotOptimize(auth::sha256(token));
  }
}
BENCHMARK(BM_BaselineSha256OfToken);

}  // namespace

BENCHMARK_MAIN();
