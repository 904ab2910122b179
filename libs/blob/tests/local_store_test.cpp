#include "atelier/blob/local_store.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>
#include <vector>

#include "atelier/blob/sha256.hpp"

namespace atelier::blob {
namespace {

namespace fs = std::filesystem;

class LocalStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    dir_ = fs::temp_directory_path() / ("atelier_blob_test_" + std::to_string(rd()));
    auto store = open_local_store(dir_ / "blobs");
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(store).value();
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path write_file(const std::string& name, const std::string& content) {
    const fs::path path = dir_ / name;
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }

  size_t files_under(const fs::path& root) {
    size_t n = 0;
    for (const auto& e : fs::recursive_directory_iterator(root)) {
      n += e.is_regular_file() ? 1 : 0;
    }
    return n;
  }

  fs::path dir_;
  std::unique_ptr<BlobStore> store_;
};

TEST_F(LocalStoreTest, PutFileIsAddressedByItsSha256) {
  const auto put = store_->put_file(write_file("a.txt", "devis gros oeuvre"));
  ASSERT_TRUE(put) << put.error().message;
  EXPECT_EQ(put->key, Sha256::hex_of("devis gros oeuvre"));
  EXPECT_EQ(put->size, 17u);
  EXPECT_TRUE(put->created);
  EXPECT_TRUE(
      fs::exists(dir_ / "blobs" / put->key.substr(0, 2) / put->key.substr(2, 2) / put->key));
  auto file = store_->open(put->key);
  ASSERT_TRUE(file);
  EXPECT_EQ(file->size(), 17u);
  EXPECT_EQ(*file->read_all(), "devis gros oeuvre");
  EXPECT_TRUE(fs::exists(write_file("a.txt", "changed")));  // the source stays the caller's
  EXPECT_EQ(*store_->open(put->key)->read_all(), "devis gros oeuvre");
}

TEST_F(LocalStoreTest, SameBytesAreStoredOnce) {
  const auto first = store_->put_stream(*std::make_unique<std::istringstream>("plan"));
  std::istringstream again("plan");
  const auto second = store_->put_stream(again);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->key, second->key);
  EXPECT_TRUE(first->created);
  EXPECT_FALSE(second->created);
  EXPECT_EQ(files_under(dir_ / "blobs"), 1u);
}

TEST_F(LocalStoreTest, ConcurrentPutsOfTheSameBytesLeaveOneBlob) {
  const std::string content(300'000, 'x');
  std::vector<std::thread> threads;
  std::atomic<int> created{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      std::istringstream in(content);
      auto put = store_->put_stream(in);
      ASSERT_TRUE(put);
      created += put->created ? 1 : 0;
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(files_under(dir_ / "blobs"), 1u);
}

TEST_F(LocalStoreTest, TrustedKeyAdoptsTheFileWithoutCopying) {
  const fs::path source = write_file("upload.part", "facture");
  const auto put = store_->put_file(source, PutOptions{.trusted_key = Sha256::hex_of("facture")});
  ASSERT_TRUE(put) << put.error().message;
  EXPECT_TRUE(put->created);
  fs::remove(source);  // the server removes its temporary file afterwards
  EXPECT_EQ(*store_->open(put->key)->read_all(), "facture");
}

TEST_F(LocalStoreTest, RemoveAndExists) {
  std::istringstream in("x");
  const auto put = store_->put_stream(in);
  ASSERT_TRUE(put);
  EXPECT_TRUE(*store_->exists(put->key));
  EXPECT_TRUE(store_->remove(put->key));
  EXPECT_FALSE(*store_->exists(put->key));
  EXPECT_TRUE(store_->remove(put->key));  // idempotent
  EXPECT_EQ(store_->open(put->key).error().code, ErrorCode::kNotFound);
}

TEST_F(LocalStoreTest, KeysThatAreNotDigestsAreRefused) {
  for (const char* key : {"../../etc/passwd", "", "ABCDEF", "e3b0c44298fc1c149afbf4c8996fb924"}) {
    EXPECT_EQ(store_->open(key).error().code, ErrorCode::kBadRequest) << key;
    EXPECT_FALSE(store_->exists(key));
    EXPECT_FALSE(store_->remove(key));
  }
}

TEST_F(LocalStoreTest, OpeningCleansLeftoverTemporaryFiles) {
  write_file("blobs/tmp/crashed.part", "half");
  auto reopened = open_local_store(dir_ / "blobs");
  ASSERT_TRUE(reopened);
  EXPECT_TRUE(fs::is_empty(dir_ / "blobs" / "tmp"));
}

}  // namespace
}  // namespace atelier::blob
