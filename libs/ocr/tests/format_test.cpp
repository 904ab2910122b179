#include "format.hpp"

#include <gtest/gtest.h>

#include "samples.hpp"

namespace atelier::ocr::detail {
namespace {

using samples::bytes_of;

std::vector<std::byte> with_magic(std::string_view magic) {
  return bytes_of(std::string(magic) + std::string(64, 'x'));
}

TEST(Sniff, DecidesFromTheBytesNotTheDeclaredType) {
  EXPECT_EQ(sniff(with_magic("\x89PNG\r\n\x1a\n"), "image/png").value(), Format::kPng);
  EXPECT_EQ(sniff(with_magic("\xFF\xD8\xFF\xE0"), "image/jpeg").value(), Format::kJpeg);
  EXPECT_EQ(sniff(with_magic(std::string("II*\0", 4)), "image/tiff").value(), Format::kTiff);
  EXPECT_EQ(sniff(with_magic(std::string("MM\0*", 4)), "").value(), Format::kTiff);
  EXPECT_EQ(sniff(with_magic("%PDF-1.7\n"), "application/octet-stream").value(), Format::kPdf);
  EXPECT_EQ(sniff(with_magic("%PDF-1.7\n"), "Application/PDF; charset=binary").value(),
            Format::kPdf);
}

TEST(Sniff, AcceptsAPreambleBeforeThePdfHeader) {
  EXPECT_EQ(sniff(bytes_of(std::string(100, '\n') + "%PDF-1.4\n"), "").value(), Format::kPdf);
}

TEST(Sniff, RefusesAFileWhoseBytesContradictItsDeclaredType) {
  const auto r = sniff(with_magic("\x89PNG\r\n\x1a\n"), "application/pdf");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalid);
  EXPECT_NE(r.error().message.find("PNG"), std::string::npos);
}

TEST(Sniff, RefusesUnknownAndEmptyFiles) {
  EXPECT_EQ(sniff(bytes_of("GIF89a..."), "image/gif").error().code, ErrorCode::kInvalid);
  EXPECT_EQ(sniff(bytes_of("<html></html>"), "image/png").error().code, ErrorCode::kInvalid);
  EXPECT_EQ(sniff({}, "image/png").error().code, ErrorCode::kInvalid);
}

// A little-endian TIFF whose IFDs are chained at 8, 8 + 18, ...: each IFD one entry, no image.
std::vector<std::byte> tiff_chain(int frames, bool loop) {
  std::string t("II*\0\x08\0\0\0", 8);
  for (int i = 0; i < frames; ++i) {
    const uint32_t here = static_cast<uint32_t>(t.size());
    uint32_t next = i + 1 < frames ? here + 18 : 0;
    if (loop && i + 1 == frames) {
      next = 8;
    }
    t += std::string("\x01\x00", 2);                               // one entry
    t += std::string("\x00\x01\x04\x00\x01\0\0\0\x01\0\0\0", 12);  // ImageWidth = 1
    for (int b = 0; b < 4; ++b) {
      t += static_cast<char>((next >> (8 * b)) & 0xFF);
    }
  }
  return bytes_of(t);
}

TEST(CountTiffFrames, FollowsTheChainOfImages) {
  EXPECT_EQ(count_tiff_frames(tiff_chain(3, false), 100).value(), 3);
}

TEST(CountTiffFrames, StopsAtTheCap) {
  EXPECT_EQ(count_tiff_frames(tiff_chain(50, false), 10).value(), 10);
}

TEST(CountTiffFrames, RefusesALoopAndAnOffsetOutsideTheFile) {
  EXPECT_EQ(count_tiff_frames(tiff_chain(3, true), 100).error().code, ErrorCode::kInvalid);
  EXPECT_EQ(count_tiff_frames(bytes_of(std::string("II*\0\xFF\xFF\0\0", 8)), 100).error().code,
            ErrorCode::kInvalid);
  EXPECT_EQ(count_tiff_frames(bytes_of(std::string("II+\0\x08\0\0\0", 8)), 100).error().code,
            ErrorCode::kInvalid);
}

TEST(CheckPngStructure, AcceptsAWholeFileAndRefusesATruncatedOrAlteredOne) {
  auto png = samples::png(samples::small_sheet({"chunks"}), 72);
  EXPECT_TRUE(check_png_structure(png).ok());
  auto truncated = png;
  truncated.resize(png.size() - 5);
  EXPECT_EQ(check_png_structure(truncated).error().code, ErrorCode::kInvalid);
  auto altered = png;
  altered[png.size() / 2] ^= std::byte{0x40};
  const auto r = check_png_structure(altered);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("checksum"), std::string::npos) << r.error().message;
}

TEST(CheckJpegStructure, AcceptsAWholeFileAndRefusesATruncatedOne) {
  auto jpeg = samples::jpeg(samples::small_sheet({"segments"}), 72);
  EXPECT_TRUE(check_jpeg_structure(jpeg).ok());
  auto with_trailer = jpeg;  // some cameras append data after the end of the image
  with_trailer.resize(jpeg.size() + 100, std::byte{0x55});
  EXPECT_TRUE(check_jpeg_structure(with_trailer).ok());
  for (const size_t size : {size_t{3}, size_t{40}, jpeg.size() / 2, jpeg.size() - 2}) {
    auto truncated = jpeg;
    truncated.resize(size);
    EXPECT_EQ(check_jpeg_structure(truncated).error().code, ErrorCode::kInvalid) << size;
  }
}

}  // namespace
}  // namespace atelier::ocr::detail
