// EPUB ingestion: archives built here with libzip (mimetype first, container.xml, an OPF whose
// spine is not in alphabetical order, XHTML chapters with headings, entities and breaks), and the
// archives that must fail: damaged, without container, without spine, zip bombs.
#include <gtest/gtest.h>
#include <zip.h>

#include <array>
#include <string>
#include <vector>

#include "visiobook/domain/ingest/ingest.hpp"

namespace atelier::visiobook::ingest {
namespace {

using domain::Language;

struct Entry {
  std::string name;
  std::string data;
  bool store = false;  // no compression (the mimetype entry)
};

// A zip archive of `entries`, in order, built in memory.
std::string make_zip(const std::vector<Entry>& entries) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(nullptr, 0, 0, &error);
  EXPECT_NE(source, nullptr);
  zip_t* archive = zip_open_from_source(source, ZIP_TRUNCATE, &error);
  EXPECT_NE(archive, nullptr);
  zip_source_keep(source);
  for (const auto& entry : entries) {
    zip_source_t* data = zip_source_buffer(archive, entry.data.data(), entry.data.size(), 0);
    const zip_int64_t index = zip_file_add(archive, entry.name.c_str(), data, ZIP_FL_ENC_UTF_8);
    EXPECT_GE(index, 0) << zip_strerror(archive);
    if (entry.store) {
      zip_set_file_compression(archive, static_cast<zip_uint64_t>(index), ZIP_CM_STORE, 0);
    }
  }
  EXPECT_EQ(zip_close(archive), 0);
  std::string out;
  EXPECT_EQ(zip_source_open(source), 0);
  std::array<char, 4096> buffer{};
  for (zip_int64_t n = 0; (n = zip_source_read(source, buffer.data(), buffer.size())) > 0;) {
    out.append(buffer.data(), static_cast<std::size_t>(n));
  }
  zip_source_close(source);
  zip_source_free(source);
  zip_error_fini(&error);
  return out;
}

constexpr std::string_view kContainer =
    R"(<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>)";

std::string opf(std::string_view language, std::string_view spine) {
  return std::string(R"(<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="2.0" unique-identifier="id">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">
    <dc:title>The  Little Book</dc:title>
    <dc:creator opf:role="aut">Jane Writer</dc:creator>
    <dc:language>)") +
         std::string(language) + R"(</dc:language>
  </metadata>
  <manifest>
    <item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>
    <item id="alpha" href="text/alpha.xhtml" media-type="application/xhtml+xml"/>
    <item id="mid" href="text/mid%20part.xhtml" media-type="application/xhtml+xml"/>
    <item id="zeta" href="text/zeta.xhtml" media-type="application/xhtml+xml"/>
    <item id="cover" href="images/cover.png" media-type="image/png"/>
  </manifest>
  <spine toc="ncx">
)" + std::string(spine) +
         R"(
  </spine>
</package>)";
}

constexpr std::string_view kSpine = R"(<itemref idref="cover"/>
    <itemref idref="zeta"/>
    <itemref idref="alpha"/>
    <itemref idref="mid"/>)";

// First in the spine: an XHTML 1.1 DOCTYPE (an external DTD that must not be fetched).
constexpr std::string_view kZeta = R"(<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.1//EN" "http://www.w3.org/TR/xhtml11/DTD/xhtml11.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Ignored head title</title>
<style>p { margin: 0 }</style></head>
<body>
  <h1>Chapter 1</h1>
  <h2>The   Beginning</h2>
  <p>Fish &amp; chips cost&nbsp;&#163;3&#8212;and Ren&#233;e paid&hellip;</p>
  <p>She said &ldquo;yes&rdquo; and it&rsquo;s done.<br/>A new line.</p>
  <hr/>
  <p>After the break.</p>
</body></html>)";

// Second: an HTML5 DOCTYPE, an unknown entity, a separator paragraph, an image.
constexpr std::string_view kAlpha = R"(<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">
<body><section>
  <h1>Chapter 2 &mdash; The Middle</h1>
  <div><p>First paragraph of the middle.</p></div>
  <p class="center">* * *</p>
  <p>The scene <em>changes</em> here<img src="x.png" alt="picture"/>.</p>
  <script>var ignored = 1;</script>
</section></body></html>)";

// Third: no DOCTYPE at all, a heading-less continuation, then a new chapter.
constexpr std::string_view kMid = R"(<html xmlns="http://www.w3.org/1999/xhtml"><body>
  <p>Still the middle chapter.</p>
  <h2>Chapter 3</h2>
  <p>The end.</p>
</body></html>)";

std::vector<Entry> book_entries(std::string_view language = "en", std::string_view spine = kSpine) {
  return {
      {"mimetype", "application/epub+zip", true},
      {"META-INF/container.xml", std::string(kContainer)},
      {"OEBPS/content.opf", opf(language, spine)},
      {"OEBPS/text/alpha.xhtml", std::string(kAlpha)},
      {"OEBPS/text/mid part.xhtml", std::string(kMid)},
      {"OEBPS/text/zeta.xhtml", std::string(kZeta)},
      {"OEBPS/images/cover.png", "\x89PNG not really"},
  };
}

domain::Book read_ok(const std::string& epub, const Limits& limits = {}) {
  auto book = read_epub(epub, limits);
  EXPECT_TRUE(book.ok()) << book.error().message;
  return book.ok() ? std::move(book).value() : domain::Book{};
}

std::string error_of(const std::string& epub, const Limits& limits = {}) {
  const auto book = read_epub(epub, limits);
  EXPECT_FALSE(book.ok());
  if (book.ok()) {
    return {};
  }
  EXPECT_EQ(book.error().code, ErrorCode::kInvalid);
  return book.error().message;
}

TEST(IngestEpub, DetectsAnEpubFromItsBytes) {
  EXPECT_EQ(detect_format(make_zip(book_entries())), SourceFormat::kEpub);
}

TEST(IngestEpub, ReadsChaptersInSpineOrderWithTheirTitles) {
  const domain::Book book = read_ok(make_zip(book_entries()));
  ASSERT_EQ(book.chapters.size(), 3u);
  EXPECT_EQ(book.chapters[0].title, "Chapter 1. The Beginning");
  EXPECT_EQ(book.chapters[1].title, "Chapter 2 \xE2\x80\x94 The Middle");
  EXPECT_EQ(book.chapters[2].title, "Chapter 3");
}

TEST(IngestEpub, ReadsMetadataFromTheOpf) {
  const domain::Book book = read_ok(make_zip(book_entries()));
  EXPECT_EQ(book.title, "The Little Book");
  EXPECT_EQ(book.author, "Jane Writer");
  EXPECT_EQ(book.language, Language::kEnglish);
}

TEST(IngestEpub, DecodesXmlNumericAndHtmlNamedEntities) {
  const domain::Book book = read_ok(make_zip(book_entries()));
  ASSERT_FALSE(book.chapters.empty());
  const auto& p = book.chapters[0].paragraphs;
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0].text,
            "Fish & chips cost\xC2\xA0\xC2\xA3"
            "3\xE2\x80\x94"
            "and Ren\xC3\xA9"
            "e paid\xE2\x80\xA6");
  EXPECT_EQ(p[1].text,
            "She said \xE2\x80\x9Cyes\xE2\x80\x9D and it\xE2\x80\x99s done. A new line.");
}

TEST(IngestEpub, HorizontalRulesAndStarParagraphsAreSceneBreaks) {
  const domain::Book book = read_ok(make_zip(book_entries()));
  ASSERT_EQ(book.chapters.size(), 3u);
  EXPECT_TRUE(book.chapters[0].paragraphs.at(2).after_break);
  EXPECT_EQ(book.chapters[0].paragraphs.at(2).text, "After the break.");
  const auto& middle = book.chapters[1].paragraphs;
  ASSERT_EQ(middle.size(), 3u);
  EXPECT_FALSE(middle[0].after_break);
  EXPECT_TRUE(middle[1].after_break);
  EXPECT_EQ(middle[1].text, "The scene changes here.");
}

TEST(IngestEpub, SkipsHeadScriptsAndStylesAndContinuesHeadinglessDocuments) {
  const domain::Book book = read_ok(make_zip(book_entries()));
  ASSERT_EQ(book.chapters.size(), 3u);
  for (const auto& chapter : book.chapters) {
    for (const auto& p : chapter.paragraphs) {
      EXPECT_EQ(p.text.find("Ignored"), std::string::npos);
      EXPECT_EQ(p.text.find("margin"), std::string::npos);
      EXPECT_EQ(p.text.find("var ignored"), std::string::npos);
    }
  }
  // The third document starts without a heading: its first paragraph ends chapter 2.
  EXPECT_EQ(book.chapters[1].paragraphs.back().text, "Still the middle chapter.");
  EXPECT_EQ(book.chapters[2].paragraphs.at(0).text, "The end.");
}

TEST(IngestEpub, FrenchBookIsCleanedForFrench) {
  std::vector<Entry> entries = book_entries("fr-FR");
  entries[5].data = R"(<html><body><h1>Chapitre premier</h1>
    <p>&laquo;&nbsp;Bonjour&nbsp;&raquo;, dit-il.</p><p>- Oui, r&eacute;pondit-elle.</p>
    </body></html>)";
  const domain::Book book = read_ok(make_zip(entries));
  EXPECT_EQ(book.language, Language::kFrench);
  ASSERT_FALSE(book.chapters.empty());
  const auto& p = book.chapters[0].paragraphs;
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].text,
            "\xC2\xAB\xE2\x80\xAF"
            "Bonjour\xE2\x80\xAF\xC2\xBB, dit-il.");
  EXPECT_EQ(p[1].text, "\xE2\x80\x94 Oui, r\xC3\xA9pondit-elle.");
}

TEST(IngestEpub, GuessesTheLanguageWhenTheOpfHasNone) {
  std::vector<Entry> entries = book_entries("");
  entries[3].data =
      "<html><body><h1>Chapitre 2</h1><p>Il \xC3\xA9tait une fois une reine qui vivait dans un "
      "ch\xC3\xA2teau avec le roi et les enfants, et elle \xC3\xA9tait seule.</p></body></html>";
  entries[4].data = "<html><body><p>Le roi est parti dans la for\xC3\xAAt.</p></body></html>";
  entries[5].data = "<html><body><p>Elle ne dit rien de plus ce soir-l\xC3\xA0.</p></body></html>";
  EXPECT_EQ(read_ok(make_zip(entries)).language, Language::kFrench);
}

TEST(IngestEpub, ExternalEntitiesAreNeverLoaded) {
  std::vector<Entry> entries = book_entries();
  entries[5].data = R"(<?xml version="1.0"?>
<!DOCTYPE html [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
<html><body><h1>Chapter 1</h1><p>Before &secret; after.</p></body></html>)";
  const domain::Book book = read_ok(make_zip(entries));
  ASSERT_FALSE(book.chapters.empty());
  EXPECT_EQ(book.chapters[0].paragraphs.at(0).text, "Before after.");
}

TEST(IngestEpub, UnknownNamedEntityIsSkippedNotFatal) {
  std::vector<Entry> entries = book_entries();
  entries[5].data = "<html><body><h1>Chapter 1</h1><p>A &madeup; word.</p></body></html>";
  const domain::Book book = read_ok(make_zip(entries));
  ASSERT_FALSE(book.chapters.empty());
  EXPECT_EQ(book.chapters[0].paragraphs.at(0).text, "A word.");
}

TEST(IngestEpub, EntityExpansionBombIsRefused) {
  std::string doctype = "<!DOCTYPE html [ <!ENTITY e0 \"hahahahahahahahahaha\">";
  for (int i = 1; i < 10; ++i) {
    doctype += " <!ENTITY e" + std::to_string(i) + " \"";
    for (int k = 0; k < 10; ++k) {
      doctype += "&e" + std::to_string(i - 1) + ";";
    }
    doctype += "\">";
  }
  doctype += " ]>";
  std::vector<Entry> entries = book_entries();
  entries[5].data = doctype + "<html><body><p>&e9;</p></body></html>";
  const std::string message = error_of(make_zip(entries));
  EXPECT_TRUE(message.starts_with("the EPUB document 'OEBPS/text/zeta.xhtml' is not well-formed"))
      << message;
}

TEST(IngestEpub, DamagedArchiveIsAnErrorWithLibzipsReason) {
  const std::string epub = make_zip(book_entries());
  const std::string message = error_of(epub.substr(0, epub.size() / 2));
  EXPECT_TRUE(message.starts_with("the EPUB archive is damaged: ")) << message;
  EXPECT_GT(message.size(), std::string_view("the EPUB archive is damaged: ").size());
}

TEST(IngestEpub, ArchiveWithoutContainerIsAnError) {
  std::vector<Entry> entries = book_entries();
  entries.erase(entries.begin() + 1);
  EXPECT_EQ(error_of(make_zip(entries)), "the EPUB has no META-INF/container.xml");
}

TEST(IngestEpub, ContainerWithoutRootfileIsAnError) {
  std::vector<Entry> entries = book_entries();
  entries[1].data = "<container><rootfiles/></container>";
  EXPECT_EQ(error_of(make_zip(entries)), "the EPUB's container.xml names no package (rootfile)");
}

TEST(IngestEpub, EmptySpineIsAnError) {
  EXPECT_EQ(error_of(make_zip(book_entries("en", ""))), "the EPUB has no spine");
}

TEST(IngestEpub, SpineDocumentMissingFromTheArchiveIsAnError) {
  std::vector<Entry> entries = book_entries();
  entries.erase(entries.begin() + 4);  // "mid part.xhtml"
  EXPECT_EQ(error_of(make_zip(entries)), "the EPUB has no entry 'OEBPS/text/mid part.xhtml'");
}

TEST(IngestEpub, MalformedXhtmlIsAnErrorNamingTheDocument) {
  std::vector<Entry> entries = book_entries();
  entries[3].data = "<html><body><p>unclosed</body></html>";
  const std::string message = error_of(make_zip(entries));
  EXPECT_TRUE(
      message.starts_with("the EPUB document 'OEBPS/text/alpha.xhtml' is not well-formed "
                          "XML: mismatched tag"))
      << message;
}

TEST(IngestEpub, EntryDeclaringMoreThanTheLimitUncompressedIsRefused) {
  Limits limits;
  limits.max_input_bytes = 64u << 10;
  std::vector<Entry> entries = book_entries();
  entries[3].data = "<html><body><p>" + std::string(1u << 20, 'a') + "</p></body></html>";
  const std::string epub = make_zip(entries);
  ASSERT_LT(epub.size(), limits.max_input_bytes);  // the archive itself is small
  const std::string message = error_of(epub, limits);
  EXPECT_NE(message.find("OEBPS/text/alpha.xhtml"), std::string::npos) << message;
  EXPECT_NE(message.find("max_input_bytes"), std::string::npos) << message;
}

TEST(IngestEpub, EmptyFileIsAnError) {
  EXPECT_EQ(error_of(""), "the file is empty");
}

TEST(IngestEpub, InputAboveTheLimitIsRefusedBeforeParsing) {
  Limits limits;
  limits.max_input_bytes = 100;
  const std::string message = error_of(make_zip(book_entries()), limits);
  EXPECT_TRUE(message.starts_with("the file is ")) << message;
  EXPECT_NE(message.find("max_input_bytes"), std::string::npos);
}

TEST(IngestEpub, ReadBookDispatchesAnEpub) {
  const auto book = read_book(make_zip(book_entries()));
  ASSERT_TRUE(book.ok()) << book.error().message;
  EXPECT_EQ(book->title, "The Little Book");
}

}  // namespace
}  // namespace atelier::visiobook::ingest
