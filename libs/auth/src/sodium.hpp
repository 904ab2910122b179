// Private: libsodium must be initialised once per process before its first use.
#pragma once

namespace atelier::auth::detail {

// Calls sodium_init() exactly once; aborts if libsodium cannot start (no entropy source), since
// nothing in this library is safe without it.
void ensure_sodium();

}  // namespace atelier::auth::detail
