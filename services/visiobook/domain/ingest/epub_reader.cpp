// read_epub(): EPUB 2 and 3 from memory. libzip reads the archive in place (nothing is written to
// disk; entry names are only looked up), every entry's declared and actual uncompressed size is
// held to max_input_bytes in total (zip bombs), and expat parses container.xml, the OPF package
// and each XHTML document of the spine. HTML's named entities (&nbsp; &mdash; ...) come from a
// built-in DTD handed to expat in place of any external DTD; external entities are never loaded.
#include <expat.h>
#include <zip.h>

#include <algorithm>
#include <array>
#include <climits>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "visiobook/domain/ingest/ingest.hpp"
#include "visiobook/domain/ingest/segment.hpp"

namespace atelier::visiobook::ingest {
namespace {

using detail::HeadingKind;
using detail::trim;

constexpr std::string_view kContainerPath = "META-INF/container.xml";
constexpr std::size_t kReadChunk = 64u << 10;
constexpr std::size_t kXmlChunk = 1u << 20;
constexpr std::size_t kGuessSampleBytes = 64u << 10;

// HTML 4 / XHTML 1 character entity names for U+00A0..U+00FF, in code point order.
constexpr std::array<std::string_view, 96> kLatin1EntityNames{
    "nbsp",   "iexcl",  "cent",   "pound",  "curren", "yen",    "brvbar", "sect",   "uml",
    "copy",   "ordf",   "laquo",  "not",    "shy",    "reg",    "macr",   "deg",    "plusmn",
    "sup2",   "sup3",   "acute",  "micro",  "para",   "middot", "cedil",  "sup1",   "ordm",
    "raquo",  "frac14", "frac12", "frac34", "iquest", "Agrave", "Aacute", "Acirc",  "Atilde",
    "Auml",   "Aring",  "AElig",  "Ccedil", "Egrave", "Eacute", "Ecirc",  "Euml",   "Igrave",
    "Iacute", "Icirc",  "Iuml",   "ETH",    "Ntilde", "Ograve", "Oacute", "Ocirc",  "Otilde",
    "Ouml",   "times",  "Oslash", "Ugrave", "Uacute", "Ucirc",  "Uuml",   "Yacute", "THORN",
    "szlig",  "agrave", "aacute", "acirc",  "atilde", "auml",   "aring",  "aelig",  "ccedil",
    "egrave", "eacute", "ecirc",  "euml",   "igrave", "iacute", "icirc",  "iuml",   "eth",
    "ntilde", "ograve", "oacute", "ocirc",  "otilde", "ouml",   "divide", "oslash", "ugrave",
    "uacute", "ucirc",  "uuml",   "yacute", "thorn",  "yuml",
};

struct NamedEntity {
  std::string_view name;
  int code_point;
};

// The other HTML entities a book uses: typography, quotes, dashes, a few symbols.
constexpr std::array<NamedEntity, 42> kOtherEntities{{
    {"OElig", 338},   {"oelig", 339},   {"Scaron", 352},  {"scaron", 353},  {"Yuml", 376},
    {"fnof", 402},    {"circ", 710},    {"tilde", 732},   {"ensp", 8194},   {"emsp", 8195},
    {"thinsp", 8201}, {"zwnj", 8204},   {"zwj", 8205},    {"lrm", 8206},    {"rlm", 8207},
    {"ndash", 8211},  {"mdash", 8212},  {"lsquo", 8216},  {"rsquo", 8217},  {"sbquo", 8218},
    {"ldquo", 8220},  {"rdquo", 8221},  {"bdquo", 8222},  {"dagger", 8224}, {"Dagger", 8225},
    {"bull", 8226},   {"hellip", 8230}, {"permil", 8240}, {"prime", 8242},  {"Prime", 8243},
    {"lsaquo", 8249}, {"rsaquo", 8250}, {"oline", 8254},  {"euro", 8364},   {"trade", 8482},
    {"larr", 8592},   {"rarr", 8594},   {"minus", 8722},  {"hyphen", 8208}, {"numsp", 8199},
    {"puncsp", 8200}, {"hairsp", 8202},
}};

const std::string& html_entity_dtd() {
  static const std::string dtd = [] {
    std::string out;
    const auto declare = [&out](std::string_view name, int code_point) {
      out += "<!ENTITY ";
      out += name;
      out += " \"&#";
      out += std::to_string(code_point);
      out += ";\">\n";
    };
    for (std::size_t i = 0; i < kLatin1EntityNames.size(); ++i) {
      declare(kLatin1EntityNames[i], 0xA0 + static_cast<int>(i));
    }
    for (const auto& entity : kOtherEntities) {
      declare(entity.name, entity.code_point);
    }
    return out;
  }();
  return dtd;
}

// --- XML -------------------------------------------------------------------------------------

class XmlHandler {
 public:
  virtual ~XmlHandler() = default;
  virtual void start(std::string_view name, const XML_Char** attributes) = 0;
  virtual void end(std::string_view name) = 0;
  virtual void text(std::string_view text) = 0;
};

// The name without its namespace prefix ("dc:title" → "title").
std::string_view local_name(const XML_Char* name) {
  std::string_view n(name);
  const auto colon = n.rfind(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

std::string_view attribute(const XML_Char** attributes, std::string_view name) {
  for (std::size_t i = 0; attributes[i] != nullptr && attributes[i + 1] != nullptr; i += 2) {
    if (local_name(attributes[i]) == name) {
      return attributes[i + 1];
    }
  }
  return {};
}

void XMLCALL on_start(void* user, const XML_Char* name, const XML_Char** attributes) {
  static_cast<XmlHandler*>(user)->start(local_name(name), attributes);
}

void XMLCALL on_end(void* user, const XML_Char* name) {
  static_cast<XmlHandler*>(user)->end(local_name(name));
}

void XMLCALL on_text(void* user, const XML_Char* text, int length) {
  static_cast<XmlHandler*>(user)->text(std::string_view(text, static_cast<std::size_t>(length)));
}

// Expat asks for the document's external DTD (or, with XML_UseForeignDTD, for one in its place):
// it gets the built-in HTML entity declarations, whatever the system id says. An external
// general entity (context != nullptr) is never loaded: it expands to nothing.
int XMLCALL on_external_entity(XML_Parser parser, const XML_Char* context, const XML_Char*,
                               const XML_Char*, const XML_Char*) {
  if (context != nullptr) {
    return XML_STATUS_OK;
  }
  XML_Parser dtd_parser = XML_ExternalEntityParserCreate(parser, nullptr, nullptr);
  if (dtd_parser == nullptr) {
    return XML_STATUS_ERROR;
  }
  const std::string& dtd = html_entity_dtd();
  const XML_Status status =
      XML_Parse(dtd_parser, dtd.data(), static_cast<int>(dtd.size()), XML_TRUE);
  XML_ParserFree(dtd_parser);
  return status == XML_STATUS_ERROR ? XML_STATUS_ERROR : XML_STATUS_OK;
}

struct ParserFree {
  void operator()(XML_ParserStruct* parser) const { XML_ParserFree(parser); }
};

Result<void> parse_xml(std::string_view document, XmlHandler& handler, std::string_view what) {
  std::unique_ptr<XML_ParserStruct, ParserFree> parser(XML_ParserCreate("UTF-8"));
  if (!parser) {
    return Error::internal("cannot create an XML parser");
  }
  XML_Parser p = parser.get();
  XML_SetUserData(p, &handler);
  XML_SetElementHandler(p, on_start, on_end);
  XML_SetCharacterDataHandler(p, on_text);
  XML_SetParamEntityParsing(p, XML_PARAM_ENTITY_PARSING_ALWAYS);
  XML_UseForeignDTD(p, XML_TRUE);
  XML_SetExternalEntityRefHandler(p, on_external_entity);
  std::size_t offset = 0;
  do {
    const std::size_t n = std::min(kXmlChunk, document.size() - offset);
    const bool last = offset + n == document.size();
    if (XML_Parse(p, document.data() + offset, static_cast<int>(n), last ? XML_TRUE : XML_FALSE) ==
        XML_STATUS_ERROR) {
      return Error::invalid(std::string(what) +
                            " is not well-formed XML: " + XML_ErrorString(XML_GetErrorCode(p)) +
                            " (line " + std::to_string(XML_GetCurrentLineNumber(p)) + ")");
    }
    offset += n;
  } while (offset < document.size());
  return {};
}

// --- Archive ---------------------------------------------------------------------------------

struct ZipDiscard {
  void operator()(zip_t* archive) const { zip_discard(archive); }
};

struct ZipFileClose {
  void operator()(zip_file_t* file) const { zip_fclose(file); }
};

// The archive read in place, with the uncompressed bytes read out of it held to a budget.
class Archive {
 public:
  static Result<Archive> open(std::string_view bytes, std::size_t budget) {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
    if (source == nullptr) {
      std::string reason = zip_error_strerror(&error);
      zip_error_fini(&error);
      return Error::internal("cannot read the EPUB from memory: " + reason);
    }
    zip_t* archive = zip_open_from_source(source, ZIP_RDONLY, &error);
    if (archive == nullptr) {
      std::string reason = zip_error_strerror(&error);
      zip_source_free(source);
      zip_error_fini(&error);
      return Error::invalid("the EPUB archive is damaged: " + reason);
    }
    zip_error_fini(&error);
    return Archive(archive, budget);
  }

  bool has(const std::string& path) const { return locate(path) >= 0; }

  // The entry's bytes; an Error when it is missing, damaged, or above the budget.
  Result<std::string> read(const std::string& path) {
    const zip_int64_t index = locate(path);
    if (index < 0) {
      return Error::invalid("the EPUB has no entry '" + path + "'");
    }
    const auto at = static_cast<zip_uint64_t>(index);
    zip_stat_t stat;
    zip_stat_init(&stat);
    if (zip_stat_index(zip_.get(), at, 0, &stat) != 0) {
      return Error::invalid("the EPUB archive is damaged: " +
                            std::string(zip_strerror(zip_.get())));
    }
    if ((stat.valid & ZIP_STAT_SIZE) != 0 && stat.size > budget_) {
      return too_large(path, stat.size);
    }
    std::unique_ptr<zip_file_t, ZipFileClose> file(zip_fopen_index(zip_.get(), at, 0));
    if (!file) {
      return Error::invalid("the EPUB archive is damaged: " +
                            std::string(zip_strerror(zip_.get())));
    }
    std::string out;
    std::array<char, kReadChunk> buffer{};
    while (true) {
      const zip_int64_t n = zip_fread(file.get(), buffer.data(), buffer.size());
      if (n < 0) {
        return Error::invalid("the EPUB archive is damaged: " +
                              std::string(zip_file_strerror(file.get())));
      }
      if (n == 0) {
        break;
      }
      if (out.size() + static_cast<std::size_t>(n) > budget_) {
        return too_large(path, out.size() + static_cast<std::size_t>(n));
      }
      out.append(buffer.data(), static_cast<std::size_t>(n));
    }
    budget_ -= out.size();
    return out;
  }

 private:
  Archive(zip_t* archive, std::size_t budget) : zip_(archive), budget_(budget), limit_(budget) {}

  zip_int64_t locate(const std::string& path) const {
    zip_int64_t index = zip_name_locate(zip_.get(), path.c_str(), ZIP_FL_ENC_GUESS);
    if (index < 0) {
      index = zip_name_locate(zip_.get(), path.c_str(), ZIP_FL_NOCASE | ZIP_FL_ENC_GUESS);
    }
    return index;
  }

  Error too_large(const std::string& path, zip_uint64_t size) const {
    if (size > limit_) {
      return detail::over_limit_error("the EPUB entry '" + path + "' uncompressed", size, limit_,
                                      "max_input_bytes");
    }
    return Error::invalid("the EPUB's uncompressed text is above the limit of " +
                          std::to_string(limit_) + " bytes (max_input_bytes)");
  }

  std::unique_ptr<zip_t, ZipDiscard> zip_;
  std::size_t budget_;
  std::size_t limit_;
};

// --- Paths -----------------------------------------------------------------------------------

int hex_value(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

std::string percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// The archive path of `href` relative to the directory `base` ("OEBPS/"), or nothing when it
// leaves the archive (a URL, or ".." above the root).
std::optional<std::string> resolve(std::string_view base, std::string_view href) {
  href = href.substr(0, href.find_first_of("#?"));
  if (href.empty() || href.find("://") != std::string_view::npos) {
    return std::nullopt;
  }
  std::string joined;
  if (href.front() == '/') {
    joined = percent_decode(href.substr(1));
  } else {
    joined = std::string(base) + percent_decode(href);
  }
  std::vector<std::string_view> parts;
  std::string_view rest = joined;
  while (!rest.empty()) {
    const auto slash = rest.find('/');
    const std::string_view part = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    if (part.empty() || part == ".") {
      continue;
    }
    if (part == "..") {
      if (parts.empty()) {
        return std::nullopt;
      }
      parts.pop_back();
      continue;
    }
    parts.push_back(part);
  }
  std::string out;
  for (const auto part : parts) {
    if (!out.empty()) {
      out += '/';
    }
    out += part;
  }
  return out;
}

std::string directory_of(std::string_view path) {
  const auto slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string() : std::string(path.substr(0, slash + 1));
}

// --- Documents -------------------------------------------------------------------------------

class ContainerHandler final : public XmlHandler {
 public:
  void start(std::string_view name, const XML_Char** attributes) override {
    if (name == "rootfile" && package_path.empty()) {
      package_path = attribute(attributes, "full-path");
    }
  }
  void end(std::string_view) override {}
  void text(std::string_view) override {}

  std::string package_path;
};

struct ManifestItem {
  std::string href;
  std::string media_type;
};

class PackageHandler final : public XmlHandler {
 public:
  void start(std::string_view name, const XML_Char** attributes) override {
    if (name == "metadata") {
      in_metadata_ = true;
    } else if (name == "item") {
      manifest.emplace(std::string(attribute(attributes, "id")),
                       ManifestItem{std::string(attribute(attributes, "href")),
                                    std::string(attribute(attributes, "media-type"))});
    } else if (name == "itemref") {
      if (attribute(attributes, "linear") != "no") {
        spine.emplace_back(attribute(attributes, "idref"));
      }
    } else if (in_metadata_ && capture_ == nullptr) {
      std::string* field = name == "title"      ? &title
                           : name == "creator"  ? &creator
                           : name == "language" ? &language
                                                : nullptr;
      if (field != nullptr && trim(*field).empty()) {
        field->clear();
        capture_ = field;
        capture_name_ = name;
      }
    }
  }
  void end(std::string_view name) override {
    if (name == "metadata") {
      in_metadata_ = false;
    }
    if (capture_ != nullptr && name == capture_name_) {
      capture_ = nullptr;
    }
  }
  void text(std::string_view text) override {
    if (capture_ != nullptr) {
      *capture_ += text;
    }
  }

  std::string title;
  std::string creator;
  std::string language;
  std::unordered_map<std::string, ManifestItem> manifest;
  std::vector<std::string> spine;

 private:
  bool in_metadata_ = false;
  std::string* capture_ = nullptr;
  std::string capture_name_;
};

bool is_heading_element(std::string_view name) {
  return name == "h1" || name == "h2" || name == "h3";
}

bool is_skipped_element(std::string_view name) {
  return name == "head" || name == "script" || name == "style" || name == "svg" || name == "rt";
}

bool is_block_element(std::string_view name) {
  static constexpr std::array<std::string_view, 26> kBlocks{
      "p",  "div", "li",   "blockquote", "section", "article", "header", "footer",     "aside",
      "tr", "td",  "th",   "dd",         "dt",      "pre",     "figure", "figcaption", "table",
      "ul", "ol",  "body", "nav",        "h4",      "h5",      "h6",     "address",
  };
  for (const auto block : kBlocks) {
    if (block == name) {
      return true;
    }
  }
  return false;
}

std::string collapse_spaces(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool space = false;
  for (const char c : trim(text)) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      space = true;
      continue;
    }
    if (space) {
      out += ' ';
      space = false;
    }
    out += c;
  }
  return out;
}

// One XHTML document of the spine: <h1>..<h3> start chapters (consecutive ones make one title),
// block elements end paragraphs, <br/> breaks a line, <hr/> and "* * *" paragraphs are scene
// breaks, the head, scripts and styles are skipped.
class XhtmlHandler final : public XmlHandler {
 public:
  explicit XhtmlHandler(detail::BookBuilder& builder) : builder_(builder) {}

  void start(std::string_view name, const XML_Char**) override {
    if (skip_depth_ > 0 || is_skipped_element(name)) {
      ++skip_depth_;
      return;
    }
    if (is_heading_element(name)) {
      flush();
      ++heading_depth_;
      return;
    }
    if (heading_depth_ > 0) {
      if (name == "br") {
        heading_ += ' ';
      }
      return;
    }
    if (name == "br") {
      paragraph_ += '\n';
    } else if (name == "hr") {
      flush();
      builder_.scene_break();
    } else if (is_block_element(name)) {
      flush();
    }
  }

  void end(std::string_view name) override {
    if (skip_depth_ > 0) {
      --skip_depth_;
      return;
    }
    if (is_heading_element(name) && heading_depth_ > 0) {
      if (--heading_depth_ == 0) {
        emit_heading();
      }
      return;
    }
    if (heading_depth_ == 0 && is_block_element(name)) {
      flush();
    }
  }

  void text(std::string_view text) override {
    if (skip_depth_ > 0) {
      return;
    }
    (heading_depth_ > 0 ? heading_ : paragraph_) += text;
  }

  void finish() { flush(); }

 private:
  void flush() {
    const std::string_view text = trim(paragraph_);
    if (text.empty()) {
      paragraph_.clear();
      return;
    }
    if (detail::is_separator(text)) {
      builder_.scene_break();
    } else if (const HeadingKind kind = detail::heading_kind(text);
               kind != HeadingKind::kNone && text.find('\n') == std::string_view::npos) {
      builder_.heading(std::string(text), kind);  // <p class="chapter">CHAPTER I</p>
    } else {
      builder_.paragraph(std::move(paragraph_));
    }
    paragraph_.clear();
    heading_last_ = false;
  }

  void emit_heading() {
    std::string title = collapse_spaces(heading_);
    heading_.clear();
    if (title.empty()) {
      return;
    }
    if (heading_last_) {
      builder_.heading_continued(std::move(title));
    } else {
      const HeadingKind kind = detail::heading_kind(title) == HeadingKind::kPart
                                   ? HeadingKind::kPart
                                   : HeadingKind::kChapter;
      builder_.heading(std::move(title), kind);
    }
    heading_last_ = true;
  }

  detail::BookBuilder& builder_;
  int skip_depth_ = 0;
  int heading_depth_ = 0;
  bool heading_last_ = false;
  std::string heading_;
  std::string paragraph_;
};

std::optional<domain::Language> language_code(std::string_view code) {
  const std::string c = detail::lower(trim(code));
  if (c == "fr" || c.starts_with("fr-") || c.starts_with("fr_") || c == "fre" || c == "fra") {
    return domain::Language::kFrench;
  }
  if (c == "en" || c.starts_with("en-") || c.starts_with("en_") || c == "eng") {
    return domain::Language::kEnglish;
  }
  return std::nullopt;
}

bool is_xhtml(std::string_view media_type) {
  return media_type == "application/xhtml+xml" || media_type == "text/html" || media_type.empty();
}

}  // namespace

Result<domain::Book> read_epub(std::string_view bytes, const Limits& limits) {
  if (auto size = detail::check_input_size(bytes.size(), limits); !size.ok()) {
    return std::move(size).error();
  }
  auto opened = Archive::open(bytes, limits.max_input_bytes);
  if (!opened.ok()) {
    return std::move(opened).error();
  }
  Archive& archive = opened.value();

  const std::string container_path(kContainerPath);
  if (!archive.has(container_path)) {
    return Error::invalid("the EPUB has no META-INF/container.xml");
  }
  auto container_xml = archive.read(container_path);
  if (!container_xml.ok()) {
    return std::move(container_xml).error();
  }
  ContainerHandler container;
  if (auto parsed = parse_xml(*container_xml, container, "the EPUB's container.xml");
      !parsed.ok()) {
    return std::move(parsed).error();
  }
  if (container.package_path.empty()) {
    return Error::invalid("the EPUB's container.xml names no package (rootfile)");
  }
  const auto package_path = resolve("", container.package_path);
  if (!package_path || !archive.has(*package_path)) {
    return Error::invalid("the EPUB has no package document '" + container.package_path + "'");
  }
  auto package_xml = archive.read(*package_path);
  if (!package_xml.ok()) {
    return std::move(package_xml).error();
  }
  PackageHandler package;
  if (auto parsed = parse_xml(*package_xml, package, "the EPUB package '" + *package_path + "'");
      !parsed.ok()) {
    return std::move(parsed).error();
  }
  if (package.spine.empty()) {
    return Error::invalid("the EPUB has no spine");
  }

  const std::string base = directory_of(*package_path);
  detail::BookBuilder builder(limits);
  std::size_t documents = 0;
  for (const auto& idref : package.spine) {
    const auto item = package.manifest.find(idref);
    if (item == package.manifest.end() || !is_xhtml(item->second.media_type)) {
      continue;  // an image or an unknown id in the spine: nothing to read
    }
    const auto path = resolve(base, item->second.href);
    if (!path) {
      continue;
    }
    auto document = archive.read(*path);
    if (!document.ok()) {
      return std::move(document).error();
    }
    XhtmlHandler handler(builder);
    if (auto parsed = parse_xml(*document, handler, "the EPUB document '" + *path + "'");
        !parsed.ok()) {
      return std::move(parsed).error();
    }
    handler.finish();
    if (builder.over_limit()) {
      return builder.limit_error();
    }
    ++documents;
  }
  if (documents == 0) {
    return Error::invalid("the EPUB's spine lists no XHTML document");
  }

  domain::Book book;
  const auto declared = language_code(package.language);
  book.language = declared ? *declared : guess_language(builder.sample(kGuessSampleBytes));
  book.title = collapse_spaces(package.title);
  book.author = collapse_spaces(package.creator);
  book.chapters = builder.finish(book.language);
  if (book.chapters.empty()) {
    return Error::invalid("the EPUB has no text");
  }
  return book;
}

}  // namespace atelier::visiobook::ingest
