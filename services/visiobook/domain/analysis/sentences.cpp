// Sentence splitting with ICU's sentence break iterator, wrapped in a filter that suppresses
// breaks after the language's abbreviations (ICU's own "ss" data plus ours: "M.", "Mr.", "Dr.").
// Segments that open in lower case ("‘Oh dear!’ thought Alice", "Zambinella ! s’écria-t-il")
// rejoin the sentence before them. Also reads a whole book into the tokenised Doc.
#include <unicode/brkiter.h>
#include <unicode/filteredbrk.h>
#include <unicode/uchar.h>
#include <unicode/utext.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "visiobook/domain/analysis/internal.hpp"
#include "visiobook/domain/analysis/lexicon.hpp"

namespace atelier::visiobook::analysis::detail {
namespace {

bool is_space(char32_t cp) {
  return u_isUWhiteSpace(static_cast<UChar32>(cp)) != 0 || cp == 0xA0 || cp == 0x202F;
}

// Shrinks [begin, end) past white space at both ends.
Span trimmed(std::string_view text, Span s) {
  while (s.begin < s.end) {
    char32_t cp = 0;
    const std::size_t n = decode_utf8(text, s.begin, cp);
    if (!is_space(cp)) {
      break;
    }
    s.begin += n;
  }
  while (s.end > s.begin) {
    std::size_t start = s.end - 1;
    while (start > s.begin && (static_cast<unsigned char>(text[start]) & 0xC0U) == 0x80U) {
      --start;
    }
    char32_t cp = 0;
    decode_utf8(text, start, cp);
    if (!is_space(cp)) {
      break;
    }
    s.end = start;
  }
  return s;
}

// A segment that starts with a lower-case letter or closing punctuation continues the sentence
// before it: ICU breaks after "!’" and "?" even when the narration goes on in lower case.
bool continues_previous(std::string_view text, const Span& s) {
  char32_t cp = 0;
  decode_utf8(text, s.begin, cp);
  const auto c = static_cast<UChar32>(cp);
  if (u_islower(c) != 0) {
    return true;
  }
  return cp == U',' || cp == U';' || cp == U':' || cp == U')' || cp == 0x2019 || cp == 0x201D ||
         cp == 0xBB;
}

// ICU does not end a sentence at "…": split after one followed by space and a capital letter.
std::vector<Span> split_after_ellipses(std::string_view text, const std::vector<Span>& raw) {
  static constexpr std::string_view kEllipsis = "\xE2\x80\xA6";
  std::vector<Span> out;
  for (Span s : raw) {
    for (std::size_t at = text.find(kEllipsis, s.begin);
         at != std::string_view::npos && at + kEllipsis.size() < s.end;
         at = text.find(kEllipsis, at + kEllipsis.size())) {
      std::size_t next = at + kEllipsis.size();
      bool spaced = false;
      char32_t cp = 0;
      while (next < s.end) {
        const std::size_t n = decode_utf8(text, next, cp);
        if (!is_space(cp)) {
          break;
        }
        spaced = true;
        next += n;
      }
      if (spaced && next < s.end && u_isupper(static_cast<UChar32>(cp)) != 0) {
        out.push_back({s.begin, at + kEllipsis.size()});
        s.begin = next;
      }
    }
    out.push_back(s);
  }
  return out;
}

}  // namespace

struct SentenceSplitter::Impl {
  std::unique_ptr<icu::BreakIterator> iterator;
  icu::UnicodeString empty;
};

SentenceSplitter::SentenceSplitter(Language language) : impl_(new Impl) {
  const icu::Locale locale =
      language == Language::kFrench ? icu::Locale::getFrench() : icu::Locale::getEnglish();
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> base(
      icu::BreakIterator::createSentenceInstance(locale, status));
  if (U_FAILURE(status) || !base) {
    return;
  }
  std::unique_ptr<icu::FilteredBreakIteratorBuilder> builder(
      icu::FilteredBreakIteratorBuilder::createInstance(locale, status));
  if (U_FAILURE(status) || !builder) {
    impl_->iterator = std::move(base);
    return;
  }
  for (const std::string_view abbreviation : abbreviations(language)) {
    UErrorCode ignored = U_ZERO_ERROR;  // false when ICU's data already has it
    builder->suppressBreakAfter(
        icu::UnicodeString::fromUTF8(
            icu::StringPiece(abbreviation.data(), static_cast<int32_t>(abbreviation.size()))),
        ignored);
  }
  icu::BreakIterator* wrapped = builder->wrapIteratorWithFilter(base.release(), status);
  if (U_SUCCESS(status) && wrapped != nullptr) {
    impl_->iterator.reset(wrapped);
  }
}

SentenceSplitter::~SentenceSplitter() {
  delete impl_;
}

std::vector<Span> SentenceSplitter::split(std::string_view text) {
  std::vector<Span> raw;
  if (text.empty()) {
    return raw;
  }
  UErrorCode status = U_ZERO_ERROR;
  UText* ut = nullptr;
  if (impl_->iterator) {
    ut = utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &status);
  }
  if (ut != nullptr && U_SUCCESS(status)) {
    impl_->iterator->setText(ut, status);
  }
  if (ut != nullptr && U_SUCCESS(status)) {
    std::size_t start = static_cast<std::size_t>(impl_->iterator->first());
    for (int32_t end = impl_->iterator->next(); end != icu::BreakIterator::DONE;
         end = impl_->iterator->next()) {
      raw.push_back({start, static_cast<std::size_t>(end)});
      start = static_cast<std::size_t>(end);
    }
  } else {
    raw.push_back({0, text.size()});
  }
  if (ut != nullptr) {
    // Point the iterator away from the text before closing it.
    if (impl_->iterator) {
      impl_->iterator->setText(impl_->empty);
    }
    utext_close(ut);
  }
  std::vector<Span> out;
  for (const Span& r : split_after_ellipses(text, raw)) {
    const Span s = trimmed(text, r);
    if (s.begin >= s.end) {
      continue;
    }
    if (!out.empty() && continues_previous(text, s)) {
      out.back().end = s.end;
    } else {
      out.push_back(s);
    }
  }
  return out;
}

Doc read_book(const domain::Book& book) {
  Doc doc;
  doc.language = book.language;
  SentenceSplitter splitter(book.language);
  for (std::size_t c = 0; c < book.chapters.size(); ++c) {
    const auto& chapter = book.chapters[c];
    for (std::size_t p = 0; p < chapter.paragraphs.size(); ++p) {
      Para para;
      para.chapter = c;
      para.paragraph = p;
      para.text = chapter.paragraphs[p].text;
      para.sentences = splitter.split(para.text);
      para.tokens = tokenize(para.text, book.language);
      std::size_t sentence = 0;
      std::size_t previous_sentence = kNone;
      for (Token& t : para.tokens) {
        while (sentence + 1 < para.sentences.size() && t.begin >= para.sentences[sentence].end) {
          ++sentence;
        }
        t.sentence = sentence;
        bool initial = sentence != previous_sentence;
        // The first word after an opening quote or dash starts a quotation.
        std::size_t at = t.begin;
        while (!initial && at > 0) {
          std::size_t start = at - 1;
          while (start > 0 && (static_cast<unsigned char>(para.text[start]) & 0xC0U) == 0x80U) {
            --start;
          }
          char32_t cp = 0;
          decode_utf8(para.text, start, cp);
          if (is_opening_mark(cp)) {
            initial = true;
          } else if (!is_space(cp)) {
            break;
          }
          at = start;
        }
        t.initial = initial;
        previous_sentence = sentence;
      }
      doc.paras.push_back(std::move(para));
    }
  }
  return doc;
}

}  // namespace atelier::visiobook::analysis::detail

namespace atelier::visiobook::analysis {

std::vector<std::string> split_sentences(const std::string& text, domain::Language language) {
  detail::SentenceSplitter splitter(language);
  std::vector<std::string> out;
  for (const detail::Span& s : splitter.split(text)) {
    out.emplace_back(text.substr(s.begin, s.end - s.begin));
  }
  return out;
}

}  // namespace atelier::visiobook::analysis
