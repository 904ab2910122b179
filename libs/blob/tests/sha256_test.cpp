#include "atelier/blob/sha256.hpp"

#include <gtest/gtest.h>

namespace atelier::blob {
namespace {

TEST(Sha256, KnownVectors) {
  EXPECT_EQ(Sha256::hex_of(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256::hex_of("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256, PiecesHashLikeTheWhole) {
  Sha256 h;
  h.update("a");
  h.update("bc");
  EXPECT_EQ(h.hex_digest(), Sha256::hex_of("abc"));
}

}  // namespace
}  // namespace atelier::blob
