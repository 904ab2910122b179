// Dialogue lines and their speakers. Lines are the quotations of a paragraph (‘…’, “…”, «…»,
// "…") or the whole paragraph when it opens with a dash ("— Non, répondit-elle."). A speaker is
// named by an incise next to the line: "said Alice", "Alice said", "cried the Queen", "dit
// Sarrasine", or a pronoun ("dit-il", "she said") whose antecedent is the latest mentioned
// character of that gender with no character of unknown gender in between. Two speakers that
// alternate over consecutive paragraphs carry on to the next paragraph that is a bare line.
// Otherwise the speaker stays empty rather than guessed.
#include <unicode/uchar.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "visiobook/domain/analysis/internal.hpp"
#include "visiobook/domain/analysis/lexicon.hpp"

namespace atelier::visiobook::analysis::detail {
namespace {

constexpr std::size_t kIncise = 6;           // tokens searched after a line for its incise
constexpr std::size_t kAntecedentParas = 3;  // paragraphs searched back for a pronoun's antecedent

struct Quote {
  std::size_t begin = 0;  // the opening mark
  std::size_t inner_begin = 0;
  std::size_t inner_end = 0;
  std::size_t end = 0;  // after the closing mark
};

bool is_letter_at(std::string_view s, std::size_t pos) {
  if (pos >= s.size()) {
    return false;
  }
  char32_t cp = 0;
  decode_utf8(s, pos, cp);
  return u_isalpha(static_cast<UChar32>(cp)) != 0;
}

std::vector<Quote> find_quotes(std::string_view text) {
  std::vector<Quote> out;
  std::size_t first = 0;
  while (first < text.size() && (text[first] == ' ' || text[first] == '\t')) {
    ++first;
  }
  if (text.compare(first, 3, "\xE2\x80\x94") == 0 || text.compare(first, 3, "\xE2\x80\x93") == 0) {
    out.push_back({first, first + 3, text.size(), text.size()});
    return out;
  }
  std::size_t pos = 0;
  while (pos < text.size()) {
    char32_t cp = 0;
    const std::size_t n = decode_utf8(text, pos, cp);
    char32_t closer = 0;
    if (cp == 0x201C) {
      closer = 0x201D;
    } else if (cp == 0xAB) {
      closer = 0xBB;
    } else if (cp == U'"') {
      closer = U'"';
    } else if (cp == 0x2018 && !(pos > 0 && is_letter_at(text, pos - 1))) {
      closer = 0x2019;
    }
    if (closer == 0) {
      pos += n;
      continue;
    }
    Quote q{pos, pos + n, text.size(), text.size()};
    std::size_t at = pos + n;
    while (at < text.size()) {
      char32_t c = 0;
      const std::size_t m = decode_utf8(text, at, c);
      // A closing ’ followed by a letter is an apostrophe: "don’t", "Alice’s".
      if (c == closer && !(closer == 0x2019 && is_letter_at(text, at + m))) {
        q.inner_end = at;
        q.end = at + m;
        break;
      }
      at += m;
    }
    out.push_back(q);
    pos = q.end;
  }
  return out;
}

class Attributor {
 public:
  Attributor(const Doc& doc, const std::vector<Mention>& mentions,
             const std::vector<Character>& characters)
      : doc_(doc), mentions_(mentions), characters_(characters) {
    para_first_.assign(doc.paras.size() + 1, mentions.size());
    for (std::size_t i = mentions.size(); i-- > 0;) {
      para_first_[mentions[i].para] = i;
    }
    for (std::size_t p = doc.paras.size(); p-- > 0;) {
      para_first_[p] = std::min(para_first_[p], para_first_[p + 1]);
    }
  }

  // The character index of the speaker of quote q in paragraph pi, or kNone. A pronoun never
  // points back at the previous line's speaker: "répondit-elle" answers somebody else.
  std::size_t speaker(std::size_t pi, const Quote& q, std::size_t previous) {
    previous_ = previous;
    const Para& para = doc_.paras[pi];
    const auto& tk = para.tokens;
    std::size_t after = 0;
    while (after < tk.size() && tk[after].begin < q.end) {
      ++after;
    }
    if (after < tk.size()) {
      if (const std::size_t who = incise_after(pi, after, q); who != kNone) {
        return who;
      }
    }
    // An incise inside the line: "— Non, répondit-elle, je veux..." or "« Oui, dit-il. »".
    for (std::size_t i = 0; i < tk.size() && tk[i].end <= q.inner_end; ++i) {
      if (tk[i].begin < q.inner_begin || i == 0 || !follows_break(para, i)) {
        continue;
      }
      if (const std::size_t who = incise_after(pi, i, q); who != kNone) {
        return who;
      }
    }
    return incise_before(pi, q);
  }

 private:
  bool follows_break(const Para& para, std::size_t i) const {
    std::size_t pos = para.tokens[i - 1].end;
    while (pos < para.tokens[i].begin) {
      const char c = para.text[pos];
      if (c == ',' || c == '!' || c == '?' || c == ';') {
        return true;
      }
      pos += 1;
    }
    return para.text.compare(para.tokens[i - 1].end, 3, "\xE2\x80\xA6") == 0;
  }

  // The mention starting at token i of paragraph pi, or kNone.
  std::size_t mention_at(std::size_t pi, std::size_t i) const {
    for (std::size_t m = para_first_[pi]; m < mentions_.size() && mentions_[m].para == pi; ++m) {
      if (mentions_[m].first == i) {
        return m;
      }
    }
    return kNone;
  }

  std::size_t mention_ending_at(std::size_t pi, std::size_t last) const {
    for (std::size_t m = para_first_[pi]; m < mentions_.size() && mentions_[m].para == pi; ++m) {
      if (mentions_[m].last == last) {
        return m;
      }
    }
    return kNone;
  }

  // "said Alice", "cried the Queen", "Alice said", "dit-il", "she said".
  std::size_t incise_after(std::size_t pi, std::size_t i, const Quote& q) const {
    const Para& para = doc_.paras[pi];
    const auto& tk = para.tokens;
    const Language language = doc_.language;
    const std::size_t limit = std::min(tk.size(), i + kIncise);
    if (tk[i].elided && i + 1 < limit) {
      ++i;  // s’écria
    }
    const std::string& w = tk[i].lower;
    const std::size_t dash = w.find('-');
    if (dash != std::string::npos && language == Language::kFrench) {
      std::string pronoun = w.substr(dash + 1);
      if (pronoun.rfind("t-", 0) == 0) {
        pronoun = pronoun.substr(2);
      }
      if (is_speech_verb(w.substr(0, dash), language)) {
        return antecedent(pi, q, pronoun_gender(pronoun, language));
      }
      return kNone;
    }
    if (is_speech_verb(w, language)) {
      std::size_t j = i + 1;
      if (j < limit && is_article(tk[j].lower, language)) {
        ++j;
      }
      if (j < limit) {
        if (const std::size_t m = mention_at(pi, j); m != kNone) {
          return mentions_[m].target;
        }
        const Gender g = pronoun_gender(tk[j].lower, language);
        if (g == Gender::kMale || g == Gender::kFemale) {
          return antecedent(pi, q, g);
        }
      }
      return kNone;
    }
    std::size_t j = i;
    if (is_article(tk[j].lower, language)) {
      ++j;
    }
    if (j >= limit) {
      return kNone;
    }
    if (const std::size_t m = mention_at(pi, j); m != kNone) {
      const std::size_t next = mentions_[m].last;
      if (next < tk.size() && is_speech_verb(tk[next].lower, language)) {
        return mentions_[m].target;
      }
      return kNone;
    }
    const Gender g = pronoun_gender(tk[j].lower, language);
    if ((g == Gender::kMale || g == Gender::kFemale) && j + 1 < tk.size() &&
        is_speech_verb(tk[j + 1].lower, language)) {
      return antecedent(pi, q, g);
    }
    return kNone;
  }

  // "Alice said, ‘…’", "said the Hatter: ‘…’".
  std::size_t incise_before(std::size_t pi, const Quote& q) const {
    const Para& para = doc_.paras[pi];
    const auto& tk = para.tokens;
    std::size_t b = 0;
    while (b < tk.size() && tk[b].end <= q.begin) {
      ++b;
    }
    if (b == 0) {
      return kNone;
    }
    const std::size_t last = b - 1;  // the word just before the line
    const Language language = doc_.language;
    if (is_speech_verb(tk[last].lower, language) && last > 0) {
      if (const std::size_t m = mention_ending_at(pi, last); m != kNone) {
        return mentions_[m].target;
      }
      return kNone;
    }
    if (const std::size_t m = mention_ending_at(pi, b); m != kNone) {
      std::size_t v = mentions_[m].first;
      if (v > 0 && is_article(tk[v - 1].lower, language)) {
        --v;
      }
      if (v > 0 && is_speech_verb(tk[v - 1].lower, language)) {
        return mentions_[m].target;
      }
    }
    return kNone;
  }

  // The latest mentioned character of gender g before the line, unless a character whose gender
  // is not known was mentioned after it.
  std::size_t antecedent(std::size_t pi, const Quote& q, Gender g) const {
    if (g != Gender::kMale && g != Gender::kFemale) {
      return kNone;
    }
    const std::string wanted = g == Gender::kMale ? "male" : "female";
    const std::size_t stop = pi >= kAntecedentParas ? pi - kAntecedentParas : 0;
    for (std::size_t m = para_first_[pi + 1]; m-- > para_first_[stop];) {
      const Mention& mention = mentions_[m];
      if (mention.para == pi && doc_.paras[pi].tokens[mention.first].begin >= q.begin) {
        continue;
      }
      if (mention.target == previous_) {
        continue;
      }
      const std::string& gender = characters_[mention.target].gender;
      if (gender == wanted) {
        return mention.target;
      }
      if (gender.empty()) {
        return kNone;
      }
    }
    return kNone;
  }

  const Doc& doc_;
  const std::vector<Mention>& mentions_;
  const std::vector<Character>& characters_;
  std::vector<std::size_t> para_first_;  // first mention index of each paragraph
  std::size_t previous_ = kNone;         // the previous line's speaker, while attributing a line
};

}  // namespace

std::vector<DialogueLine> find_dialogue(const Doc& doc, const std::vector<Mention>& mentions,
                                        std::vector<Character>& characters) {
  std::vector<DialogueLine> out;
  std::vector<std::size_t> speakers;
  std::vector<std::size_t> line_para;
  std::vector<std::size_t> lines_in_para(doc.paras.size(), 0);
  std::vector<bool> narration(doc.paras.size(), false);  // words outside the lines
  Attributor attributor(doc, mentions, characters);
  for (std::size_t pi = 0; pi < doc.paras.size(); ++pi) {
    const Para& para = doc.paras[pi];
    const std::vector<Quote> quotes = find_quotes(para.text);
    for (const Quote& q : quotes) {
      std::string text = trim(para.slice(q.inner_begin, q.inner_end));
      if (text.empty()) {
        continue;
      }
      DialogueLine line;
      line.at = {para.chapter, para.paragraph, q.begin};
      line.text = std::move(text);
      out.push_back(std::move(line));
      const bool recent = !speakers.empty() && line_para.back() + kAntecedentParas >= pi;
      speakers.push_back(attributor.speaker(pi, q, recent ? speakers.back() : kNone));
      line_para.push_back(pi);
      ++lines_in_para[pi];
    }
    for (const Token& t : para.tokens) {
      bool inside = false;
      for (const Quote& q : quotes) {
        inside = inside || (t.begin >= q.inner_begin && t.begin < q.inner_end);
      }
      narration[pi] = narration[pi] || !inside;
    }
  }
  // Alternation: A, B, then a bare line in the next paragraph is A's.
  for (std::size_t i = 2; i < out.size(); ++i) {
    if (speakers[i] != kNone || speakers[i - 1] == kNone || speakers[i - 2] == kNone ||
        speakers[i - 1] == speakers[i - 2]) {
      continue;
    }
    const std::size_t p = line_para[i];
    if (line_para[i - 1] + 1 != p || line_para[i - 2] + 2 != p || lines_in_para[p] != 1 ||
        lines_in_para[p - 1] != 1 || lines_in_para[p - 2] != 1 || narration[p]) {
      continue;
    }
    speakers[i] = speakers[i - 2];
  }
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (speakers[i] != kNone) {
      out[i].character_id = characters[speakers[i]].id;
      ++characters[speakers[i]].lines_spoken;
    }
  }
  return out;
}

}  // namespace atelier::visiobook::analysis::detail
