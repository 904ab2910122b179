// MSPDI with expat: a streaming reader that keeps only the elements the model needs and checks
// each task where it ends, so errors name their line; then one pass for what needs every task
// (units, outline, lots, links). The writer keeps the element order of MS Project's schema
// (mspdi_pj12.xsd and later), which MS Project's reader expects.
#include "tasks/domain/mspdi.hpp"

#include <expat.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <limits>
#include <map>
#include <set>
#include <unordered_map>
#include <utility>

namespace atelier::tasks::domain {

namespace {

using std::chrono::days;

constexpr std::string_view kNamespace = "http://schemas.microsoft.com/project";
constexpr char kNamespaceSeparator = '\x1f';
// The scheduler's bound on durations and lags (forty years of working days).
constexpr std::int64_t kMaxWorkingDays = 10000;
// MSPDI nests seven deep; anything far past that is not a plan.
constexpr std::size_t kMaxDepth = 64;
constexpr std::int64_t kMsPerMinute = 60'000;
constexpr std::int64_t kMinutesPerElapsedDay = 1440;

// ---------------------------------------------------------------------------------------------
// Values as MSPDI writes them

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

std::string_view trim(std::string_view s) {
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && blank(s.front())) {
    s.remove_prefix(1);
  }
  while (!s.empty() && blank(s.back())) {
    s.remove_suffix(1);
  }
  return s;
}

std::optional<std::int64_t> parse_integer(std::string_view text) {
  text = trim(text);
  std::int64_t value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc{} || ptr != end) {
    return std::nullopt;
  }
  return value;
}

std::optional<bool> parse_boolean(std::string_view text) {
  text = trim(text);
  if (text == "1" || text == "true") {
    return true;
  }
  if (text == "0" || text == "false") {
    return false;
  }
  return std::nullopt;
}

// Characters, not bytes, for the name limits: "Électricité" is 11 long.
std::size_t utf8_length(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// A value as messages quote it: trimmed, and cut (on a character boundary) when long.
std::string quoted(std::string_view text) {
  constexpr std::size_t kMax = 40;
  text = trim(text);
  std::string out = "'";
  if (text.size() <= kMax) {
    out += text;
  } else {
    std::size_t cut = kMax;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
      --cut;
    }
    out += text.substr(0, cut);
    out += "...";
  }
  out += "'";
  return out;
}

int two_digits(std::string_view s, std::size_t at) {
  return (s[at] - '0') * 10 + (s[at + 1] - '0');
}

bool digits_at(std::string_view s, std::size_t at, std::size_t count) {
  if (at + count > s.size()) {
    return false;
  }
  return std::all_of(s.begin() + static_cast<std::ptrdiff_t>(at),
                     s.begin() + static_cast<std::ptrdiff_t>(at + count), is_digit);
}

struct DateTime {
  Date date;
  int seconds = 0;  // since midnight
};

// xsd:dateTime as MS Project writes it (2025-03-03T08:00:00), or a bare date. A time zone, which
// MS Project never writes, is accepted and ignored: plan dates are calendar days.
std::optional<DateTime> parse_datetime(std::string_view text) {
  text = trim(text);
  if (text.size() < 10 || text[4] != '-' || text[7] != '-' || !digits_at(text, 0, 4) ||
      !digits_at(text, 5, 2) || !digits_at(text, 8, 2)) {
    return std::nullopt;
  }
  const int y = two_digits(text, 0) * 100 + two_digits(text, 2);
  const std::chrono::year_month_day ymd{
      std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(two_digits(text, 5))},
      std::chrono::day{static_cast<unsigned>(two_digits(text, 8))}};
  if (!ymd.ok()) {
    return std::nullopt;
  }
  DateTime out{Date{ymd}, 0};
  std::string_view rest = text.substr(10);
  if (rest.empty()) {
    return out;
  }
  if (rest.front() != 'T' || rest.size() < 6 || rest[3] != ':' || !digits_at(rest, 1, 2) ||
      !digits_at(rest, 4, 2)) {
    return std::nullopt;
  }
  const int hours = two_digits(rest, 1);
  const int minutes = two_digits(rest, 4);
  int seconds = 0;
  rest.remove_prefix(6);
  if (!rest.empty() && rest.front() == ':') {
    if (!digits_at(rest, 1, 2)) {
      return std::nullopt;
    }
    seconds = two_digits(rest, 1);
    rest.remove_prefix(3);
    if (!rest.empty() && rest.front() == '.') {
      rest.remove_prefix(1);
      const auto n = static_cast<std::size_t>(std::find_if_not(rest.begin(), rest.end(), is_digit) -
                                              rest.begin());
      if (n == 0) {
        return std::nullopt;
      }
      rest.remove_prefix(n);
    }
  }
  const bool zone = rest.empty() || rest == "Z" ||
                    (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':' &&
                     digits_at(rest, 1, 2) && digits_at(rest, 4, 2));
  if (!zone || hours > 24 || minutes > 59 || seconds > 60) {
    return std::nullopt;
  }
  out.seconds = hours * 3600 + minutes * 60 + seconds;
  return out;
}

enum class DurationProblem : std::uint8_t { kNone, kNotIso, kNegative, kNoFixedLength };

struct ParsedDuration {
  std::int64_t ms = 0;
  DurationProblem problem = DurationProblem::kNone;
};

// An ISO 8601 duration as MSPDI writes it, PT16H0M0S, and the other forms the standard allows
// for lengths of time: weeks and days (of 24 hours), fractions (PT7.5H). Years and months have
// no fixed length and are refused.
ParsedDuration parse_duration(std::string_view text) {
  text = trim(text);
  ParsedDuration out;
  const auto fail = [&out](DurationProblem problem) {
    out.problem = problem;
    return out;
  };
  bool negative = false;
  if (!text.empty() && text.front() == '-') {
    negative = true;
    text.remove_prefix(1);
  }
  if (text.empty() || text.front() != 'P') {
    return fail(DurationProblem::kNotIso);
  }
  text.remove_prefix(1);
  bool in_time = false;
  bool any = false;
  bool any_time = false;
  int rank = 0;  // units come largest first: W, D, then after T: H, M, S
  while (!text.empty()) {
    if (text.front() == 'T') {
      if (in_time) {
        return fail(DurationProblem::kNotIso);
      }
      in_time = true;
      text.remove_prefix(1);
      continue;
    }
    std::size_t n = 0;
    std::int64_t whole = 0;
    while (n < text.size() && is_digit(text[n])) {
      if (n == 9) {
        return fail(DurationProblem::kNotIso);  // a billion of any unit is not a plan
      }
      whole = whole * 10 + (text[n] - '0');
      ++n;
    }
    const std::size_t whole_digits = n;
    std::int64_t thousandths = 0;  // of the unit; further decimals are below a second
    if (whole_digits > 0 && n < text.size() && (text[n] == '.' || text[n] == ',')) {
      ++n;
      std::int64_t scale = 100;
      const std::size_t first = n;
      while (n < text.size() && is_digit(text[n])) {
        thousandths += (text[n] - '0') * scale;
        scale /= 10;
        ++n;
      }
      if (n == first) {
        return fail(DurationProblem::kNotIso);
      }
    }
    if (whole_digits == 0) {
      return fail(DurationProblem::kNotIso);
    }
    if (n >= text.size()) {
      return fail(DurationProblem::kNotIso);
    }
    const char unit = text[n];
    text.remove_prefix(n + 1);
    std::int64_t unit_ms = 0;
    int unit_rank = 0;
    if (!in_time) {
      if (unit == 'Y' || unit == 'M') {
        return fail(DurationProblem::kNoFixedLength);
      }
      if (unit == 'W') {
        unit_ms = 7 * 24 * 60 * kMsPerMinute;
        unit_rank = 1;
      } else if (unit == 'D') {
        unit_ms = 24 * 60 * kMsPerMinute;
        unit_rank = 2;
      }
    } else if (unit == 'H') {
      unit_ms = 60 * kMsPerMinute;
      unit_rank = 3;
    } else if (unit == 'M') {
      unit_ms = kMsPerMinute;
      unit_rank = 4;
    } else if (unit == 'S') {
      unit_ms = 1000;
      unit_rank = 5;
    }
    if (unit_rank <= rank) {
      return fail(DurationProblem::kNotIso);
    }
    rank = unit_rank;
    out.ms += whole * unit_ms + thousandths * unit_ms / 1000;
    any = true;
    any_time = any_time || in_time;
  }
  if (!any || (in_time && !any_time)) {
    return fail(DurationProblem::kNotIso);
  }
  if (negative && out.ms != 0) {
    return fail(DurationProblem::kNegative);
  }
  return out;
}

// ceil(a / b) for b > 0: a partial day rounds towards the later date, for lags and leads alike.
std::int64_t ceil_div(std::int64_t a, std::int64_t b) {
  return a >= 0 ? (a + b - 1) / b : -((-a) / b);
}

// num / den with at most two decimals, for messages: "1.5", "-0.25", "3".
std::string decimal(std::int64_t num, std::int64_t den) {
  const std::int64_t hundredths = num * 100 / den;
  const std::int64_t magnitude = hundredths < 0 ? -hundredths : hundredths;
  std::string out = hundredths < 0 ? "-" : "";
  out += std::to_string(magnitude / 100);
  const std::int64_t cents = magnitude % 100;
  if (cents != 0) {
    out += '.';
    out += static_cast<char>('0' + cents / 10);
    if (cents % 10 != 0) {
      out += static_cast<char>('0' + cents % 10);
    }
  }
  return out;
}

std::string format_date(Date date) {
  const std::chrono::year_month_day ymd{date};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

// Minutes since midnight as xsd:time. The end of the day is midnight, as MS Project writes it.
std::string format_time(int minutes) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d:%02d:00", (minutes / 60) % 24, minutes % 60);
  return buf;
}

std::string format_datetime(Date date, int minutes) {
  return format_date(date) + "T" + format_time(std::min(minutes, 1439));
}

bool is_elapsed_format(std::int64_t format) {
  // em, eh, ed, ew, emo, and their estimated (?) forms.
  switch (format) {
    case 4:
    case 6:
    case 8:
    case 10:
    case 12:  // NOLINT
    case 36:
    case 38:
    case 40:
    case 42:
    case 44:  // NOLINT
      return true;
    default:
      return false;
  }
}

bool is_percent_format(std::int64_t format) {
  return format == 19 || format == 20 || format == 51 || format == 52;
}

std::string task_label(int uid, std::string_view name) {
  return "task " + std::to_string(uid) + " " + quoted(name);
}

Error invalid_at(long line, const std::string& message) {
  return Error::invalid("line " + std::to_string(line) + ": " + message);
}

// The line a message starts with ("line 42: ..."), 0 when none.
long line_of(std::string_view message) {
  long line = 0;
  if (message.starts_with("line ")) {
    std::from_chars(message.data() + 5, message.data() + message.size(), line);
  }
  return line;
}

// ---------------------------------------------------------------------------------------------
// Reading

enum class Tag : std::uint8_t {
  kOther,
  kProject,
  // project
  kName,
  kTitle,
  kScheduleFromStart,
  kStartDate,
  kFinishDate,
  kCalendarUid,
  kMinutesPerDay,
  // calendars
  kCalendars,
  kCalendar,
  kUid,
  kIsBaseCalendar,
  kBaseCalendarUid,
  kWeekDays,
  kWeekDay,
  kDayType,
  kDayWorking,
  kTimePeriod,
  kFromDate,
  kToDate,
  kExceptions,
  kException,
  kType,
  kPeriod,
  kMonth,
  kMonthDay,
  kMonthItem,
  kMonthPosition,
  kWorkWeeks,
  // tasks
  kTasks,
  kTask,
  kIsNull,
  kWbs,
  kOutlineLevel,
  kStart,
  kFinish,
  kDuration,
  kDurationFormat,
  kMilestone,
  kSummary,
  kPercentComplete,
  kConstraintType,
  kConstraintDate,
  kActualStart,
  kActualFinish,
  kNotes,
  kActive,
  kManual,
  kPredecessorLink,
  kPredecessorUid,
  kCrossProject,
  kLinkLag,
  kLagFormat,
};

Tag tag_of(std::string_view local) {
  static const std::unordered_map<std::string_view, Tag> kTags = {
      {"Project", Tag::kProject},
      {"Name", Tag::kName},
      {"Title", Tag::kTitle},
      {"ScheduleFromStart", Tag::kScheduleFromStart},
      {"StartDate", Tag::kStartDate},
      {"FinishDate", Tag::kFinishDate},
      {"CalendarUID", Tag::kCalendarUid},
      {"MinutesPerDay", Tag::kMinutesPerDay},
      {"Calendars", Tag::kCalendars},
      {"Calendar", Tag::kCalendar},
      {"UID", Tag::kUid},
      {"IsBaseCalendar", Tag::kIsBaseCalendar},
      {"BaseCalendarUID", Tag::kBaseCalendarUid},
      {"WeekDays", Tag::kWeekDays},
      {"WeekDay", Tag::kWeekDay},
      {"DayType", Tag::kDayType},
      {"DayWorking", Tag::kDayWorking},
      {"TimePeriod", Tag::kTimePeriod},
      {"FromDate", Tag::kFromDate},
      {"ToDate", Tag::kToDate},
      {"Exceptions", Tag::kExceptions},
      {"Exception", Tag::kException},
      {"Type", Tag::kType},
      {"Period", Tag::kPeriod},
      {"Month", Tag::kMonth},
      {"MonthDay", Tag::kMonthDay},
      {"MonthItem", Tag::kMonthItem},
      {"MonthPosition", Tag::kMonthPosition},
      {"WorkWeeks", Tag::kWorkWeeks},
      {"Tasks", Tag::kTasks},
      {"Task", Tag::kTask},
      {"IsNull", Tag::kIsNull},
      {"WBS", Tag::kWbs},
      {"OutlineLevel", Tag::kOutlineLevel},
      {"Start", Tag::kStart},
      {"Finish", Tag::kFinish},
      {"Duration", Tag::kDuration},
      {"DurationFormat", Tag::kDurationFormat},
      {"Milestone", Tag::kMilestone},
      {"Summary", Tag::kSummary},
      {"PercentComplete", Tag::kPercentComplete},
      {"ConstraintType", Tag::kConstraintType},
      {"ConstraintDate", Tag::kConstraintDate},
      {"ActualStart", Tag::kActualStart},
      {"ActualFinish", Tag::kActualFinish},
      {"Notes", Tag::kNotes},
      {"Active", Tag::kActive},
      {"Manual", Tag::kManual},
      {"PredecessorLink", Tag::kPredecessorLink},
      {"PredecessorUID", Tag::kPredecessorUid},
      {"CrossProject", Tag::kCrossProject},
      {"LinkLag", Tag::kLinkLag},
      {"LagFormat", Tag::kLagFormat},
  };
  const auto it = kTags.find(local);
  return it == kTags.end() ? Tag::kOther : it->second;
}

// Elements whose text the reader may keep; the others hold elements, or nothing it reads.
bool holds_value(Tag tag) {
  switch (tag) {
    case Tag::kOther:
    case Tag::kProject:
    case Tag::kCalendars:
    case Tag::kCalendar:
    case Tag::kWeekDays:
    case Tag::kWeekDay:
    case Tag::kTimePeriod:
    case Tag::kExceptions:
    case Tag::kException:
    case Tag::kWorkWeeks:
    case Tag::kTasks:
    case Tag::kTask:
    case Tag::kPredecessorLink:
      return false;
    default:
      return true;
  }
}

// An element's text as read, kept until the element it belongs to is complete.
struct Field {
  std::string text;
  long line = 0;
  bool present = false;  // the element has a value: an empty one (<Duration/>) is not one
};

struct RawLink {
  long line = 0;
  Field predecessor_uid;
  Field type;
  Field cross_project;
  Field lag;
  Field lag_format;
};

struct RawTask {
  long line = 0;
  Field uid, name, is_null, wbs, outline_level, start, finish, duration, duration_format;
  Field milestone, summary, percent_complete, constraint_type, constraint_date;
  Field actual_start, actual_finish, notes, active, manual;
  std::vector<RawLink> links;
};

// A calendar exception, new style (<Exception>) or old (<WeekDay> of DayType 0).
struct RawException {
  long line = 0;
  Field from_date, to_date, name, type, period, month, month_day, month_item, month_position;
  Field day_working;
};

struct RawWeekDay {
  long line = 0;
  Field day_type, day_working, from_date, to_date;
};

// Calendars stay raw until the end: only the project calendar and its bases are read.
struct RawCalendar {
  long line = 0;
  Field uid, name, is_base, base_uid;
  std::vector<RawWeekDay> week_days;
  std::vector<RawException> exceptions;
  bool work_weeks = false;
};

// What the reader keeps of a task besides the task itself, for the pass that needs them all.
struct TaskNotes {
  long line = 0;
  long duration_line = 0;
  std::string duration_text;
  std::int64_t duration_ms = -1;  // -1: no Duration element
  bool elapsed = false;
};

struct PendingLink {
  long line = 0;
  int predecessor_uid = 0;
  int successor_uid = 0;
  LinkType type = LinkType::kFinishToStart;
  std::int64_t lag_tenths = 0;  // tenths of a minute, as LinkLag
  bool elapsed = false;
};

class Reader {
 public:
  Reader(XML_Parser parser, const MspdiLimits& limits) : parser_(parser), limits_(limits) {}

  Result<MspdiImport> run(std::string_view xml);

 private:
  static void XMLCALL on_start(void* self, const XML_Char* name, const XML_Char** /*atts*/) {
    static_cast<Reader*>(self)->start(name);
  }
  static void XMLCALL on_end(void* self, const XML_Char* /*name*/) {
    static_cast<Reader*>(self)->end();
  }
  static void XMLCALL on_text(void* self, const XML_Char* s, int len) {
    auto* reader = static_cast<Reader*>(self);
    if (reader->capture_ && !reader->error_) {
      reader->text_.append(s, static_cast<std::size_t>(len));
    }
  }
  static void XMLCALL on_doctype(void* self, const XML_Char* /*name*/, const XML_Char* /*sysid*/,
                                 const XML_Char* /*pubid*/, int /*has_internal_subset*/) {
    auto* reader = static_cast<Reader*>(self);
    reader->fail(invalid_at(reader->line(),
                            "a DOCTYPE declaration is not allowed: MS Project never writes one, "
                            "and its entities could expand without bound"));
  }

  long line() const { return static_cast<long>(XML_GetCurrentLineNumber(parser_)); }
  void fail(Error error) {
    if (!error_) {
      error_ = std::move(error);
      XML_StopParser(parser_, XML_FALSE);
    }
  }
  // True when the elements enclosing the one being read are `path`, the root first.
  bool under(std::initializer_list<Tag> path) const {
    return stack_.size() == path.size() + 1 &&
           std::equal(path.begin(), path.end(), stack_.begin(),
                      [](Tag t, const Open& open) { return t == open.tag; });
  }
  void take(Field& field) {
    field.text = std::move(text_);
    field.line = stack_.back().line;
    field.present = !trim(field.text).empty();
    text_.clear();
  }

  void start(const XML_Char* qualified);
  void end();
  void end_project_field(Tag tag);
  void end_task_field(Tag tag);
  void end_link_field(Tag tag);
  void end_calendar_field(Tag tag);
  void end_week_day_field(Tag tag);
  void end_exception_field(Tag tag);
  Result<void> finish_task(RawTask& raw);

  Result<MspdiImport> finish();
  Result<MspdiCalendar> project_calendar(std::vector<std::string>& warnings);
  Result<void> expand(const RawException& raw, MspdiCalendar& calendar, std::size_t& day_count,
                      std::vector<std::string>& warnings);
  Result<void> check_name(const Field& field, std::string_view what) const;

  struct Open {
    Tag tag;
    long line;
  };

  XML_Parser parser_;
  const MspdiLimits& limits_;
  std::optional<Error> error_;
  std::vector<Open> stack_;
  std::string root_namespace_;
  long root_line_ = 1;
  std::string text_;
  bool capture_ = false;

  Field name_, title_, schedule_from_start_, start_date_, finish_date_, calendar_uid_;
  Field minutes_per_day_;
  std::string summary_task_name_;  // the project summary task's (UID 0), a fallback name
  std::vector<RawCalendar> calendars_;
  RawTask task_;
  std::size_t task_elements_ = 0;
  std::size_t link_elements_ = 0;
  std::vector<MspdiTask> tasks_;
  std::vector<TaskNotes> task_notes_;
  std::unordered_map<int, long> uid_line_;
  std::vector<PendingLink> links_;
  std::vector<std::string> warnings_;
};

void Reader::start(const XML_Char* qualified) {
  if (error_) {
    return;
  }
  // Namespace processing gives "namespace\x1flocal", or "local" outside any namespace.
  const std::string_view name = qualified;
  const auto sep = name.find(kNamespaceSeparator);
  const std::string_view ns =
      sep == std::string_view::npos ? std::string_view{} : name.substr(0, sep);
  const std::string_view local = sep == std::string_view::npos ? name : name.substr(sep + 1);
  const long at = line();
  text_.clear();
  capture_ = false;
  if (stack_.empty()) {
    // MS Project writes its namespace; some generators write none. Any other is another format.
    if (local != "Project" || (!ns.empty() && !ns.starts_with(kNamespace))) {
      std::string shown = quoted(local);
      if (!ns.empty()) {
        shown += " in the namespace " + quoted(ns);
      }
      fail(invalid_at(at, "not an MS Project XML (MSPDI) file: the root element is " + shown +
                              ", where MSPDI has <Project xmlns=\"" + std::string(kNamespace) +
                              "\">"));
      return;
    }
    root_line_ = at;
    root_namespace_ = ns;
    stack_.push_back({Tag::kProject, at});
    return;
  }
  if (stack_.size() >= kMaxDepth) {
    fail(invalid_at(at, "elements are nested more than " + std::to_string(kMaxDepth) +
                            " deep; an MSPDI file nests seven"));
    return;
  }
  const Tag tag = ns == root_namespace_ ? tag_of(local) : Tag::kOther;
  stack_.push_back({tag, at});
  capture_ = holds_value(tag);

  using enum Tag;
  if (tag == kCalendar && under({kProject, kCalendars})) {
    calendars_.push_back({});
    calendars_.back().line = at;
  } else if (tag == kTask && under({kProject, kTasks})) {
    if (++task_elements_ > limits_.max_tasks) {
      fail(invalid_at(at, "more than " + std::to_string(limits_.max_tasks) +
                              " tasks, the most an import accepts"));
      return;
    }
    task_ = RawTask{};
    task_.line = at;
  } else if (tag == kPredecessorLink && under({kProject, kTasks, kTask})) {
    if (++link_elements_ > limits_.max_links) {
      fail(invalid_at(at, "more than " + std::to_string(limits_.max_links) +
                              " links, the most an import accepts"));
      return;
    }
    task_.links.push_back({});
    task_.links.back().line = at;
  } else if (tag == kWorkWeeks && under({kProject, kCalendars, kCalendar})) {
    calendars_.back().work_weeks = true;
  } else if (tag == kWeekDay && under({kProject, kCalendars, kCalendar, kWeekDays})) {
    calendars_.back().week_days.push_back({});
    calendars_.back().week_days.back().line = at;
  } else if (tag == kException && under({kProject, kCalendars, kCalendar, kExceptions})) {
    calendars_.back().exceptions.push_back({});
    calendars_.back().exceptions.back().line = at;
  }
}

void Reader::end() {
  if (error_ || stack_.empty()) {
    return;
  }
  // Each container below was opened by start() on the same path, so the one being filled is
  // the last of its kind.
  using enum Tag;
  const Tag tag = stack_.back().tag;
  if (under({kProject})) {
    end_project_field(tag);
  } else if (tag == kTask && under({kProject, kTasks})) {
    if (auto done = finish_task(task_); !done) {
      fail(std::move(done).error());
    }
  } else if (under({kProject, kTasks, kTask})) {
    end_task_field(tag);
  } else if (under({kProject, kTasks, kTask, kPredecessorLink})) {
    end_link_field(tag);
  } else if (under({kProject, kCalendars, kCalendar})) {
    end_calendar_field(tag);
  } else if (under({kProject, kCalendars, kCalendar, kWeekDays, kWeekDay}) ||
             under({kProject, kCalendars, kCalendar, kWeekDays, kWeekDay, kTimePeriod})) {
    end_week_day_field(tag);
  } else if (under({kProject, kCalendars, kCalendar, kExceptions, kException}) ||
             under({kProject, kCalendars, kCalendar, kExceptions, kException, kTimePeriod})) {
    end_exception_field(tag);
  }
  stack_.pop_back();
  text_.clear();
  capture_ = false;
}

void Reader::end_project_field(Tag tag) {
  switch (tag) {
    case Tag::kName:
      take(name_);
      break;
    case Tag::kTitle:
      take(title_);
      break;
    case Tag::kScheduleFromStart:
      take(schedule_from_start_);
      break;
    case Tag::kStartDate:
      take(start_date_);
      break;
    case Tag::kFinishDate:
      take(finish_date_);
      break;
    case Tag::kCalendarUid:
      take(calendar_uid_);
      break;
    case Tag::kMinutesPerDay:
      take(minutes_per_day_);
      break;
    default:
      break;
  }
}

void Reader::end_task_field(Tag tag) {
  RawTask& t = task_;
  switch (tag) {
    case Tag::kUid:
      take(t.uid);
      break;
    case Tag::kName:
      take(t.name);
      break;
    case Tag::kIsNull:
      take(t.is_null);
      break;
    case Tag::kWbs:
      take(t.wbs);
      break;
    case Tag::kOutlineLevel:
      take(t.outline_level);
      break;
    case Tag::kStart:
      take(t.start);
      break;
    case Tag::kFinish:
      take(t.finish);
      break;
    case Tag::kDuration:
      take(t.duration);
      break;
    case Tag::kDurationFormat:
      take(t.duration_format);
      break;
    case Tag::kMilestone:
      take(t.milestone);
      break;
    case Tag::kSummary:
      take(t.summary);
      break;
    case Tag::kPercentComplete:
      take(t.percent_complete);
      break;
    case Tag::kConstraintType:
      take(t.constraint_type);
      break;
    case Tag::kConstraintDate:
      take(t.constraint_date);
      break;
    case Tag::kActualStart:
      take(t.actual_start);
      break;
    case Tag::kActualFinish:
      take(t.actual_finish);
      break;
    case Tag::kNotes:
      take(t.notes);
      break;
    case Tag::kActive:
      take(t.active);
      break;
    case Tag::kManual:
      take(t.manual);
      break;
    default:
      break;
  }
}

void Reader::end_link_field(Tag tag) {
  RawLink& l = task_.links.back();
  switch (tag) {
    case Tag::kPredecessorUid:
      take(l.predecessor_uid);
      break;
    case Tag::kType:
      take(l.type);
      break;
    case Tag::kCrossProject:
      take(l.cross_project);
      break;
    case Tag::kLinkLag:
      take(l.lag);
      break;
    case Tag::kLagFormat:
      take(l.lag_format);
      break;
    default:
      break;
  }
}

void Reader::end_calendar_field(Tag tag) {
  RawCalendar& c = calendars_.back();
  switch (tag) {
    case Tag::kUid:
      take(c.uid);
      break;
    case Tag::kName:
      take(c.name);
      break;
    case Tag::kIsBaseCalendar:
      take(c.is_base);
      break;
    case Tag::kBaseCalendarUid:
      take(c.base_uid);
      break;
    default:
      break;
  }
}

void Reader::end_week_day_field(Tag tag) {
  RawWeekDay& d = calendars_.back().week_days.back();
  switch (tag) {
    case Tag::kDayType:
      take(d.day_type);
      break;
    case Tag::kDayWorking:
      take(d.day_working);
      break;
    case Tag::kFromDate:
      take(d.from_date);
      break;
    case Tag::kToDate:
      take(d.to_date);
      break;
    default:
      break;
  }
}

void Reader::end_exception_field(Tag tag) {
  RawException& e = calendars_.back().exceptions.back();
  switch (tag) {
    case Tag::kFromDate:
      take(e.from_date);
      break;
    case Tag::kToDate:
      take(e.to_date);
      break;
    case Tag::kName:
      take(e.name);
      break;
    case Tag::kType:
      take(e.type);
      break;
    case Tag::kPeriod:
      take(e.period);
      break;
    case Tag::kMonth:
      take(e.month);
      break;
    case Tag::kMonthDay:
      take(e.month_day);
      break;
    case Tag::kMonthItem:
      take(e.month_item);
      break;
    case Tag::kMonthPosition:
      take(e.month_position);
      break;
    case Tag::kDayWorking:
      take(e.day_working);
      break;
    default:
      break;
  }
}

Result<void> Reader::check_name(const Field& field, std::string_view what) const {
  if (utf8_length(field.text) > limits_.max_name_length) {
    return invalid_at(field.line, std::string(what) + " is longer than " +
                                      std::to_string(limits_.max_name_length) + " characters");
  }
  return {};
}

// A task as it ends: its values checked and converted, except what depends on MinutesPerDay or
// on other tasks, which finish() does.
Result<void> Reader::finish_task(RawTask& raw) {
  if (raw.is_null.present && parse_boolean(raw.is_null.text).value_or(false)) {
    return {};  // a blank row
  }
  if (!raw.uid.present) {
    return invalid_at(raw.line, "a task has no UID");
  }
  const auto uid = parse_integer(raw.uid.text);
  if (!uid || *uid < 0 || *uid > std::numeric_limits<int>::max()) {
    return invalid_at(raw.uid.line,
                      "task UID " + quoted(raw.uid.text) + " is not a whole number from 0 up");
  }
  MspdiTask task;
  task.uid = static_cast<int>(*uid);
  const std::string who = "task " + std::to_string(task.uid);

  std::int64_t level = task.uid == 0 ? 0 : 1;
  if (raw.outline_level.present) {
    const auto parsed = parse_integer(raw.outline_level.text);
    if (!parsed || *parsed < 0 || *parsed > 100) {
      return invalid_at(raw.outline_level.line, who + ": OutlineLevel " +
                                                    quoted(raw.outline_level.text) +
                                                    " is not a level from 0 to 100");
    }
    level = *parsed;
  }
  if (level == 0) {
    summary_task_name_ = raw.name.text;  // the project summary task: the project itself
    return {};
  }
  task.outline_level = static_cast<int>(level);

  if (const auto [it, fresh] = uid_line_.emplace(task.uid, raw.line); !fresh) {
    return invalid_at(raw.uid.line, who + ": the UID is already used by the task on line " +
                                        std::to_string(it->second));
  }
  if (auto ok = check_name(raw.name, who + ": Name"); !ok) {
    return ok;
  }
  task.name = std::move(raw.name.text);
  if (utf8_length(raw.notes.text) > limits_.max_notes_length) {
    return invalid_at(raw.notes.line, who + ": Notes are longer than " +
                                          std::to_string(limits_.max_notes_length) + " characters");
  }
  task.notes = std::move(raw.notes.text);
  if (auto ok = check_name(raw.wbs, who + ": WBS"); !ok) {
    return ok;
  }
  task.wbs = std::move(raw.wbs.text);

  const auto read_flag = [&who](const Field& f, std::string_view what, bool& out) -> Result<void> {
    if (!f.present) {
      return {};
    }
    const auto v = parse_boolean(f.text);
    if (!v) {
      return invalid_at(f.line,
                        who + ": " + std::string(what) + " " + quoted(f.text) + " is not 0 or 1");
    }
    out = *v;
    return {};
  };
  if (auto ok = read_flag(raw.milestone, "Milestone", task.milestone); !ok) {
    return ok;
  }
  if (auto ok = read_flag(raw.summary, "Summary", task.summary); !ok) {
    return ok;
  }
  bool active = true;
  bool manual = false;
  if (auto ok = read_flag(raw.active, "Active", active); !ok) {
    return ok;
  }
  if (auto ok = read_flag(raw.manual, "Manual", manual); !ok) {
    return ok;
  }

  const auto read_date = [&who](const Field& f, std::string_view what,
                                std::optional<Date>& out) -> Result<void> {
    if (!f.present || trim(f.text).empty()) {
      return {};
    }
    const auto v = parse_datetime(f.text);
    if (!v) {
      return invalid_at(f.line,
                        who + ": " + std::string(what) + " " + quoted(f.text) + " is not a date");
    }
    out = v->date;
    return {};
  };
  if (auto ok = read_date(raw.start, "Start", task.start); !ok) {
    return ok;
  }
  if (auto ok = read_date(raw.finish, "Finish", task.finish); !ok) {
    return ok;
  }
  if (auto ok = read_date(raw.actual_start, "ActualStart", task.actual_start); !ok) {
    return ok;
  }
  if (auto ok = read_date(raw.actual_finish, "ActualFinish", task.actual_finish); !ok) {
    return ok;
  }

  if (raw.percent_complete.present) {
    const auto v = parse_integer(raw.percent_complete.text);
    if (!v || *v < 0 || *v > 100) {
      return invalid_at(raw.percent_complete.line, who + ": PercentComplete " +
                                                       quoted(raw.percent_complete.text) +
                                                       " is not a percentage from 0 to 100");
    }
    task.percent_complete = static_cast<int>(*v);
  }

  TaskNotes notes;
  notes.line = raw.line;
  if (raw.duration.present) {
    const ParsedDuration d = parse_duration(raw.duration.text);
    const std::string shown = "Duration " + quoted(raw.duration.text);
    switch (d.problem) {
      case DurationProblem::kNotIso:
        return invalid_at(raw.duration.line, who + ": " + shown + " is not an ISO 8601 duration");
      case DurationProblem::kNegative:
        return invalid_at(raw.duration.line, who + ": " + shown + " is negative");
      case DurationProblem::kNoFixedLength:
        return invalid_at(
            raw.duration.line,
            who + ": " + shown + " counts years or months, which have no fixed length");
      case DurationProblem::kNone:
        break;
    }
    notes.duration_ms = d.ms;
    notes.duration_line = raw.duration.line;
    notes.duration_text = std::string(trim(raw.duration.text));
    if (raw.duration_format.present) {
      notes.elapsed = is_elapsed_format(parse_integer(raw.duration_format.text).value_or(7));
    }
  }

  const std::string label = task_label(task.uid, task.name);
  if (raw.constraint_type.present) {
    const auto type = parse_integer(raw.constraint_type.text);
    if (!type || *type < 0 || *type > 7) {
      return invalid_at(raw.constraint_type.line, who + ": ConstraintType " +
                                                      quoted(raw.constraint_type.text) +
                                                      " is not a constraint type from 0 to 7");
    }
    static constexpr std::array<std::string_view, 8> kNames = {
        "as soon as possible",    "as late as possible",   "must start on",
        "must finish on",         "start no earlier than", "start no later than",
        "finish no earlier than", "finish no later than"};
    std::optional<ConstraintKind> kind;
    if (*type == 3) {
      kind = ConstraintKind::kMustFinishOn;
    } else if (*type == 4) {
      kind = ConstraintKind::kStartNoEarlierThan;
    } else if (*type == 7) {
      kind = ConstraintKind::kFinishNoLaterThan;
    } else if (*type != 0) {
      warnings_.push_back("line " + std::to_string(raw.constraint_type.line) + ": " + label +
                          ": the constraint '" +
                          std::string(kNames[static_cast<std::size_t>(*type)]) +
                          "' is not supported; the task is imported without a constraint");
    }
    if (kind) {
      std::optional<Date> date;
      if (auto ok = read_date(raw.constraint_date, "ConstraintDate", date); !ok) {
        return ok;
      }
      if (!date) {
        return invalid_at(raw.constraint_type.line,
                          who + ": the constraint '" +
                              std::string(kNames[static_cast<std::size_t>(*type)]) +
                              "' has no ConstraintDate");
      }
      task.constraint = MspdiConstraint{*kind, *date};
    }
  }
  if (!active) {
    warnings_.push_back("line " + std::to_string(raw.active.line) + ": " + label +
                        " is inactive in MS Project; it is imported as an ordinary task");
  }
  if (manual) {
    warnings_.push_back("line " + std::to_string(raw.manual.line) + ": " + label +
                        " is manually scheduled in MS Project; Atelier schedules it from its "
                        "links and constraints");
  }

  for (const RawLink& l : raw.links) {
    if (!l.predecessor_uid.present) {
      return invalid_at(l.line, who + ": a PredecessorLink has no PredecessorUID");
    }
    const auto pred = parse_integer(l.predecessor_uid.text);
    if (!pred || *pred < 0 || *pred > std::numeric_limits<int>::max()) {
      return invalid_at(l.predecessor_uid.line, who + ": PredecessorUID " +
                                                    quoted(l.predecessor_uid.text) +
                                                    " is not a whole number from 0 up");
    }
    if (l.cross_project.present && parse_boolean(l.cross_project.text).value_or(false)) {
      warnings_.push_back("line " + std::to_string(l.line) + ": " + label +
                          ": the link from another project is left out");
      continue;
    }
    PendingLink link;
    link.line = l.predecessor_uid.line;
    link.predecessor_uid = static_cast<int>(*pred);
    link.successor_uid = task.uid;
    if (l.type.present) {
      // MSPDI numbers link types FF, FS, SF, SS.
      const auto type = parse_integer(l.type.text);
      static constexpr std::array<LinkType, 4> kTypes = {
          LinkType::kFinishToFinish, LinkType::kFinishToStart, LinkType::kStartToFinish,
          LinkType::kStartToStart};
      if (!type || *type < 0 || *type > 3) {
        return invalid_at(l.type.line, who + ": link Type " + quoted(l.type.text) +
                                           " is not 0 (FF), 1 (FS), 2 (SF) or 3 (SS)");
      }
      link.type = kTypes[static_cast<std::size_t>(*type)];
    }
    if (l.lag.present) {
      const auto lag = parse_integer(l.lag.text);
      if (!lag) {
        return invalid_at(l.lag.line, who + ": LinkLag " + quoted(l.lag.text) +
                                          " is not a whole number of tenths of a minute");
      }
      link.lag_tenths = *lag;
    }
    if (l.lag_format.present) {
      const auto format = parse_integer(l.lag_format.text);
      if (!format) {
        return invalid_at(l.lag_format.line,
                          who + ": LagFormat " + quoted(l.lag_format.text) + " is not a number");
      }
      if (is_percent_format(*format) && link.lag_tenths != 0) {
        return invalid_at(l.lag_format.line,
                          who + ": the link from task " + std::to_string(link.predecessor_uid) +
                              " has a lag in percent of the predecessor's duration, which "
                              "Atelier cannot keep; give the lag in days in MS Project and "
                              "export again");
      }
      link.elapsed = is_elapsed_format(*format);
    }
    links_.push_back(link);
  }

  tasks_.push_back(std::move(task));
  task_notes_.push_back(std::move(notes));
  return {};
}

Result<void> Reader::expand(const RawException& raw, MspdiCalendar& calendar,
                            std::size_t& day_count, std::vector<std::string>& warnings) {
  if (auto ok = check_name(raw.name, "calendar exception Name"); !ok) {
    return ok;
  }
  const std::string what =
      raw.name.text.empty() ? "calendar exception" : "calendar exception " + quoted(raw.name.text);
  if (!raw.from_date.present || !raw.to_date.present) {
    return invalid_at(raw.line, what + " has no TimePeriod with FromDate and ToDate");
  }
  const auto from = parse_datetime(raw.from_date.text);
  if (!from) {
    return invalid_at(raw.from_date.line,
                      what + ": FromDate " + quoted(raw.from_date.text) + " is not a date");
  }
  const auto to = parse_datetime(raw.to_date.text);
  if (!to) {
    return invalid_at(raw.to_date.line,
                      what + ": ToDate " + quoted(raw.to_date.text) + " is not a date");
  }
  const Date first = from->date;
  // A period that ends at midnight ends with the day before.
  const Date last = to->seconds == 0 && to->date > first ? to->date - days{1} : to->date;
  if (last < first) {
    return invalid_at(raw.to_date.line, what + " ends before it starts");
  }
  const auto read_int = [&what](const Field& f, std::string_view name, std::int64_t fallback,
                                std::int64_t low, std::int64_t high) -> Result<std::int64_t> {
    if (!f.present) {
      return fallback;
    }
    const auto v = parse_integer(f.text);
    if (!v || *v < low || *v > high) {
      return invalid_at(f.line, what + ": " + std::string(name) + " " + quoted(f.text) +
                                    " is not a number from " + std::to_string(low) + " to " +
                                    std::to_string(high));
    }
    return *v;
  };
  bool working = false;
  if (raw.day_working.present) {
    const auto v = parse_boolean(raw.day_working.text);
    if (!v) {
      return invalid_at(raw.day_working.line,
                        what + ": DayWorking " + quoted(raw.day_working.text) + " is not 0 or 1");
    }
    working = *v;
  }
  const auto type = read_int(raw.type, "Type", 1, 1, 9);
  if (!type) {
    return type.error();
  }
  const auto too_many = [&] {
    return invalid_at(raw.line, "the project calendar's exceptions cover more than " +
                                    std::to_string(limits_.max_exception_days) +
                                    " days, the most an import accepts");
  };
  const auto add = [&](Date a, Date b) -> bool {
    day_count += static_cast<std::size_t>((b - a).count()) + 1;
    if (day_count > limits_.max_exception_days) {
      return false;
    }
    calendar.exceptions.push_back({a, b, working, raw.name.text});
    return true;
  };
  const std::chrono::year first_year = std::chrono::year_month_day{first}.year();
  const std::chrono::year last_year = std::chrono::year_month_day{last}.year();
  switch (*type) {
    case 1:    // daily, every Period days
    case 7: {  // daily, given by its number of occurrences
      const auto period = read_int(raw.period, "Period", 1, 1, 10000);
      if (!period) {
        return period.error();
      }
      if (*period == 1) {
        if (!add(first, last)) {
          return too_many();
        }
        break;
      }
      for (Date d = first; d <= last; d += days{*period}) {
        if (!add(d, d)) {
          return too_many();
        }
      }
      break;
    }
    case 2: {  // yearly on a day of a month: Month counts from 0 (January)
      const auto month = read_int(raw.month, "Month", -1, 0, 11);
      const auto month_day = read_int(raw.month_day, "MonthDay", -1, 1, 31);
      if (!month || !month_day) {
        return !month ? month.error() : month_day.error();
      }
      if (*month < 0 || *month_day < 0) {
        return invalid_at(raw.line, what + " recurs yearly but has no Month and MonthDay");
      }
      for (auto y = first_year; y <= last_year; ++y) {
        const std::chrono::year_month_day ymd{y,
                                              std::chrono::month{static_cast<unsigned>(*month + 1)},
                                              std::chrono::day{static_cast<unsigned>(*month_day)}};
        if (ymd.ok() && Date{ymd} >= first && Date{ymd} <= last && !add(Date{ymd}, Date{ymd})) {
          return too_many();
        }
      }
      break;
    }
    case 3: {  // yearly on the first..fourth or last weekday of a month
      const auto month = read_int(raw.month, "Month", -1, 0, 11);
      const auto item = read_int(raw.month_item, "MonthItem", -1, 0, 9);
      const auto position = read_int(raw.month_position, "MonthPosition", -1, 0, 4);
      if (!month || !item || !position) {
        return !month ? month.error() : !item ? item.error() : position.error();
      }
      if (*month < 0 || *item < 0 || *position < 0) {
        return invalid_at(raw.line, what +
                                        " recurs yearly by position but has no Month, "
                                        "MonthItem and MonthPosition");
      }
      if (*item < 3) {
        // MonthItem 0, 1, 2: any day, weekday or weekend day, rather than a named weekday.
        warnings.push_back("line " + std::to_string(raw.line) + ": " + what +
                           " recurs on a day, weekday or weekend day of the month, which is "
                           "not supported; it is left out");
        break;
      }
      const std::chrono::weekday wd{static_cast<unsigned>(*item - 3)};  // MonthItem 3: Sunday
      const std::chrono::month m{static_cast<unsigned>(*month + 1)};
      for (auto y = first_year; y <= last_year; ++y) {
        const Date d = *position == 4 ? Date{y / m / std::chrono::weekday_last{wd}}
                                      : Date{y / m / wd[static_cast<unsigned>(*position + 1)]};
        if (d >= first && d <= last && !add(d, d)) {
          return too_many();
        }
      }
      break;
    }
    default:
      warnings.push_back("line " + std::to_string(raw.line) + ": " + what +
                         " recurs monthly or weekly, which is not supported; it is left out");
      break;
  }
  return {};
}

Result<MspdiCalendar> Reader::project_calendar(std::vector<std::string>& warnings) {
  MspdiCalendar calendar;
  if (calendars_.empty()) {
    return calendar;
  }
  std::vector<std::optional<int>> uids;
  for (const RawCalendar& c : calendars_) {
    const auto v = c.uid.present ? parse_integer(c.uid.text) : std::nullopt;
    uids.push_back(v ? std::optional<int>(static_cast<int>(*v)) : std::nullopt);
  }
  const auto find = [&](std::int64_t uid) -> std::optional<std::size_t> {
    for (std::size_t i = 0; i < uids.size(); ++i) {
      if (uids[i] && *uids[i] == uid) {
        return i;
      }
    }
    return std::nullopt;
  };
  std::optional<std::size_t> chosen;
  if (calendar_uid_.present) {
    const auto uid = parse_integer(calendar_uid_.text);
    chosen = uid ? find(*uid) : std::nullopt;
    if (!chosen) {
      warnings.push_back("line " + std::to_string(calendar_uid_.line) + ": CalendarUID " +
                         quoted(calendar_uid_.text) +
                         " names no calendar of the file; its first base calendar is used");
    }
  }
  for (std::size_t i = 0; !chosen && i < calendars_.size(); ++i) {
    if (calendars_[i].is_base.present &&
        parse_boolean(calendars_[i].is_base.text).value_or(false)) {
      chosen = i;
    }
  }
  if (!chosen) {
    chosen = 0;
  }

  // The calendar and the base calendars it derives from, base first.
  std::vector<std::size_t> chain = {*chosen};
  while (chain.size() < 16) {
    const RawCalendar& c = calendars_[chain.back()];
    const auto base = c.base_uid.present ? parse_integer(c.base_uid.text) : std::nullopt;
    const auto next = base && *base >= 0 ? find(*base) : std::nullopt;
    if (!next || std::find(chain.begin(), chain.end(), *next) != chain.end()) {
      break;
    }
    chain.push_back(*next);
  }
  std::reverse(chain.begin(), chain.end());

  const RawCalendar& own = calendars_[*chosen];
  if (auto ok = check_name(own.name, "calendar Name"); !ok) {
    return ok.error();
  }
  calendar.name = own.name.text;
  std::array<bool, 7> working = {false, true, true, true, true, true, false};  // C encoding
  std::size_t day_count = 0;
  bool warned_work_weeks = false;
  for (std::size_t index : chain) {
    const RawCalendar& c = calendars_[index];
    std::vector<RawException> old_style;
    for (const RawWeekDay& d : c.week_days) {
      const auto type = d.day_type.present ? parse_integer(d.day_type.text) : std::nullopt;
      if (!type || *type < 0 || *type > 7) {
        return invalid_at(d.day_type.present ? d.day_type.line : d.line,
                          "calendar WeekDay has DayType " + quoted(d.day_type.text) +
                              ", not a number from 0 to 7");
      }
      if (*type == 0) {
        RawException e;
        e.line = d.line;
        e.from_date = d.from_date;
        e.to_date = d.to_date;
        e.day_working = d.day_working;
        old_style.push_back(std::move(e));
        continue;
      }
      if (d.day_working.present) {
        const auto v = parse_boolean(d.day_working.text);
        if (!v) {
          return invalid_at(d.day_working.line, "calendar WeekDay has DayWorking " +
                                                    quoted(d.day_working.text) + ", not 0 or 1");
        }
        working[static_cast<std::size_t>(*type - 1)] = *v;  // DayType 1 is Sunday
      }
    }
    // MS Project 2007 and later write exceptions in <Exceptions>, and may repeat them as
    // DayType 0 week days for older readers: those count only when there is no <Exceptions>.
    const auto& exceptions = c.exceptions.empty() ? old_style : c.exceptions;
    for (const RawException& e : exceptions) {
      if (auto ok = expand(e, calendar, day_count, warnings); !ok) {
        return ok.error();
      }
    }
    if (c.work_weeks && !warned_work_weeks) {
      warnings.push_back("line " + std::to_string(c.line) +
                         ": the calendar's alternative work weeks are not supported; its "
                         "default week applies all year");
      warned_work_weeks = true;
    }
  }
  calendar.working_weekdays.clear();
  for (unsigned e = 0; e < 7; ++e) {
    if (working[e]) {
      calendar.working_weekdays.emplace_back(e);
    }
  }
  if (calendar.working_weekdays.empty()) {
    return invalid_at(own.line, "the project calendar has no working weekday");
  }
  return calendar;
}

Result<MspdiImport> Reader::finish() {
  MspdiImport out;
  MspdiProject& p = out.project;
  std::vector<std::string>& warnings = out.warnings;

  // Project fields first: durations and lags are counted in its days.
  if (minutes_per_day_.present) {
    const auto v = parse_integer(minutes_per_day_.text);
    if (!v || *v < 1 || *v > kMinutesPerElapsedDay) {
      return invalid_at(minutes_per_day_.line, "MinutesPerDay " + quoted(minutes_per_day_.text) +
                                                   " is not a number of minutes from 1 to 1440");
    }
    p.minutes_per_day = static_cast<int>(*v);
  }
  // Title is the project's title; Name, when there is no title, is often the file's name.
  if (!trim(title_.text).empty()) {
    if (auto ok = check_name(title_, "Title"); !ok) {
      return ok.error();
    }
    p.name = title_.text;
  } else if (!trim(name_.text).empty()) {
    if (auto ok = check_name(name_, "Name"); !ok) {
      return ok.error();
    }
    p.name = name_.text;
    for (std::string_view ext : {".mpp", ".xml", ".MPP", ".XML"}) {
      if (p.name.size() > ext.size() && std::string_view(p.name).ends_with(ext)) {
        p.name.resize(p.name.size() - ext.size());
        break;
      }
    }
  } else if (utf8_length(summary_task_name_) <= limits_.max_name_length) {
    p.name = summary_task_name_;
  }
  if (schedule_from_start_.present && !parse_boolean(schedule_from_start_.text).value_or(true)) {
    warnings.push_back("line " + std::to_string(schedule_from_start_.line) +
                       ": the project is scheduled from its finish date in MS Project; Atelier "
                       "schedules from the start");
  }
  if (finish_date_.present && !trim(finish_date_.text).empty()) {
    const auto v = parse_datetime(finish_date_.text);
    if (!v) {
      return invalid_at(finish_date_.line,
                        "FinishDate " + quoted(finish_date_.text) + " is not a date");
    }
    p.finish = v->date;
  }
  if (start_date_.present && !trim(start_date_.text).empty()) {
    const auto v = parse_datetime(start_date_.text);
    if (!v) {
      return invalid_at(start_date_.line,
                        "StartDate " + quoted(start_date_.text) + " is not a date");
    }
    p.start = v->date;
  } else {
    std::optional<Date> earliest;
    for (const MspdiTask& t : tasks_) {
      if (t.start && (!earliest || *t.start < *earliest)) {
        earliest = t.start;
      }
    }
    if (!earliest) {
      return invalid_at(root_line_, "the project has no StartDate, and no task has a Start");
    }
    p.start = *earliest;
  }

  auto calendar = project_calendar(warnings);
  if (!calendar) {
    return std::move(calendar).error();
  }
  p.calendar = std::move(calendar).value();

  // Durations in working days, the outline and the lots.
  int previous_level = 0;
  std::string lot;
  for (std::size_t i = 0; i < tasks_.size(); ++i) {
    MspdiTask& t = tasks_[i];
    const TaskNotes& n = task_notes_[i];
    if (t.outline_level > previous_level + 1) {
      return invalid_at(
          n.line, "task " + std::to_string(t.uid) + ": OutlineLevel " +
                      std::to_string(t.outline_level) + " follows " +
                      (previous_level == 0 ? std::string("the start of the list")
                                           : "a task at level " + std::to_string(previous_level)) +
                      "; a level can only go one deeper");
    }
    previous_level = t.outline_level;
    t.summary =
        t.summary || (i + 1 < tasks_.size() && tasks_[i + 1].outline_level > t.outline_level);
    if (t.outline_level == 1) {
      lot = t.summary ? t.name : std::string();
    } else {
      t.lot = lot;
    }

    if (n.duration_ms >= 0) {
      const std::int64_t day_minutes = n.elapsed ? kMinutesPerElapsedDay : p.minutes_per_day;
      const std::int64_t day_ms = day_minutes * kMsPerMinute;
      const std::int64_t whole = ceil_div(n.duration_ms, day_ms);
      const std::string label = task_label(t.uid, t.name);
      if (whole > kMaxWorkingDays) {
        return invalid_at(n.duration_line, "task " + std::to_string(t.uid) + ": Duration " +
                                               quoted(n.duration_text) + " is more than " +
                                               std::to_string(kMaxWorkingDays) + " working days");
      }
      t.duration_days = static_cast<int>(whole);
      if (!t.summary && n.elapsed) {
        warnings.push_back("line " + std::to_string(n.duration_line) + ": " + label +
                           ": the elapsed duration " + quoted(n.duration_text) + " is counted as " +
                           std::to_string(whole) + " working days");
      } else if (!t.summary && n.duration_ms % day_ms != 0) {
        warnings.push_back(
            "line " + std::to_string(n.duration_line) + ": " + label + ": Duration " +
            quoted(n.duration_text) + " is " + decimal(n.duration_ms, day_ms) + " days of " +
            std::to_string(day_minutes) + " minutes; rounded up to " + std::to_string(whole));
      }
    }
  }

  // Links, now that every task is known.
  std::unordered_map<int, std::size_t> index;
  for (std::size_t i = 0; i < tasks_.size(); ++i) {
    index.emplace(tasks_[i].uid, i);
  }
  std::set<std::pair<int, int>> seen;
  p.links.reserve(links_.size());
  for (const PendingLink& l : links_) {
    const std::string who = "task " + std::to_string(l.successor_uid);
    const auto pred = index.find(l.predecessor_uid);
    if (pred == index.end()) {
      return invalid_at(l.line, who + ": predecessor UID " + std::to_string(l.predecessor_uid) +
                                    " is not a task of this file");
    }
    if (l.predecessor_uid == l.successor_uid) {
      return invalid_at(l.line, who + ": a task cannot be its own predecessor");
    }
    if (!seen.emplace(l.predecessor_uid, l.successor_uid).second) {
      return invalid_at(l.line,
                        who + ": a second link from task " + std::to_string(l.predecessor_uid));
    }
    const std::int64_t day_minutes = l.elapsed ? kMinutesPerElapsedDay : p.minutes_per_day;
    const std::int64_t day_tenths = day_minutes * 10;
    const std::int64_t lag = ceil_div(l.lag_tenths, day_tenths);
    if (lag > kMaxWorkingDays || lag < -kMaxWorkingDays) {
      return invalid_at(l.line, who + ": the lag from task " + std::to_string(l.predecessor_uid) +
                                    " is beyond " + std::to_string(kMaxWorkingDays) +
                                    " working days");
    }
    const MspdiTask& succ = tasks_[index.at(l.successor_uid)];
    const std::string label = task_label(succ.uid, succ.name);
    if (l.elapsed) {
      warnings.push_back("line " + std::to_string(l.line) + ": " + label +
                         ": the elapsed lag from task " + std::to_string(l.predecessor_uid) +
                         " is counted as " + std::to_string(lag) + " working days");
    } else if (l.lag_tenths % day_tenths != 0) {
      warnings.push_back("line " + std::to_string(l.line) + ": " + label + ": the lag from task " +
                         std::to_string(l.predecessor_uid) + " of " +
                         decimal(l.lag_tenths, day_tenths) + " days is rounded up to " +
                         std::to_string(lag));
    }
    p.links.push_back({l.predecessor_uid, l.successor_uid, l.type, static_cast<int>(lag)});
  }

  p.tasks = std::move(tasks_);
  // In the order of the file, whichever pass found them.
  warnings.insert(warnings.begin(), warnings_.begin(), warnings_.end());
  std::stable_sort(warnings.begin(), warnings.end(),
                   [](const auto& a, const auto& b) { return line_of(a) < line_of(b); });
  return out;
}

Result<MspdiImport> Reader::run(std::string_view xml) {
  XML_SetUserData(parser_, this);
  XML_SetElementHandler(parser_, on_start, on_end);
  XML_SetCharacterDataHandler(parser_, on_text);
  XML_SetStartDoctypeDeclHandler(parser_, on_doctype);
  XML_SetParamEntityParsing(parser_, XML_PARAM_ENTITY_PARSING_NEVER);

  // expat takes int lengths: feed large documents in pieces.
  constexpr std::size_t kChunk = std::size_t{1} << 24;
  std::size_t offset = 0;
  do {
    const std::size_t n = std::min(kChunk, xml.size() - offset);
    const bool last = offset + n == xml.size();
    if (XML_Parse(parser_, xml.data() + offset, static_cast<int>(n), last ? XML_TRUE : XML_FALSE) !=
        XML_STATUS_OK) {
      if (error_) {
        return *error_;
      }
      return Error::invalid("line " + std::to_string(XML_GetCurrentLineNumber(parser_)) +
                            ", column " + std::to_string(XML_GetCurrentColumnNumber(parser_) + 1) +
                            ": " + XML_ErrorString(XML_GetErrorCode(parser_)));
    }
    offset += n;
  } while (offset < xml.size());
  if (error_) {
    return *error_;
  }
  return finish();
}

// ---------------------------------------------------------------------------------------------
// Writing

// XML 1.0 text: markup escaped, carriage returns kept as references (a parser would fold them
// into line feeds), and what XML 1.0 cannot carry dropped: control characters other than tab,
// line feed and carriage return, U+FFFE, U+FFFF, and bytes that are not UTF-8.
void append_escaped(std::string& out, std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      switch (c) {
        case '&':
          out += "&amp;";
          break;
        case '<':
          out += "&lt;";
          break;
        case '>':
          out += "&gt;";
          break;
        case '"':
          out += "&quot;";
          break;
        case '\'':
          out += "&apos;";
          break;
        case '\r':
          out += "&#13;";
          break;
        default:
          if (c >= 0x20 || c == '\t' || c == '\n') {
            out += static_cast<char>(c);
          }
          break;
      }
      ++i;
      continue;
    }
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1Fu;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0Fu;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07u;
    }
    bool ok = len != 0 && i + len <= text.size();
    for (std::size_t k = 1; ok && k < len; ++k) {
      const auto cc = static_cast<unsigned char>(text[i + k]);
      ok = (cc & 0xC0) == 0x80;
      cp = (cp << 6) | (cc & 0x3Fu);
    }
    static constexpr std::array<std::uint32_t, 5> kShortest = {0, 0, 0x80, 0x800, 0x10000};
    ok = ok && cp >= kShortest[len] && !(cp >= 0xD800 && cp <= 0xDFFF) && cp <= 0x10FFFF &&
         cp != 0xFFFE && cp != 0xFFFF;
    if (!ok) {
      ++i;  // not UTF-8, or not a character XML allows: dropped byte by byte
      continue;
    }
    out.append(text.substr(i, len));
    i += len;
  }
}

class XmlWriter {
 public:
  XmlWriter() : out_("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n") {}

  void open(std::string_view tag, std::string_view attributes = {}) {
    indent();
    out_ += '<';
    out_ += tag;
    if (!attributes.empty()) {
      out_ += ' ';
      out_ += attributes;
    }
    out_ += ">\n";
    ++depth_;
  }
  void close(std::string_view tag) {
    --depth_;
    indent();
    out_ += "</";
    out_ += tag;
    out_ += ">\n";
  }
  void leaf(std::string_view tag, std::string_view text) {
    indent();
    out_ += '<';
    out_ += tag;
    out_ += '>';
    append_escaped(out_, text);
    out_ += "</";
    out_ += tag;
    out_ += ">\n";
  }
  void leaf(std::string_view tag, std::int64_t value) { leaf(tag, std::to_string(value)); }

  std::string take() && { return std::move(out_); }

 private:
  void indent() { out_.append(static_cast<std::size_t>(depth_) * 2, ' '); }

  std::string out_;
  int depth_ = 0;
};

// A working day of `minutes` laid out as MS Project's standard day: from 08:00, with an hour
// off at noon once the morning is full. Longer days reach midnight.
std::vector<std::pair<int, int>> working_times(int minutes) {
  minutes = std::clamp(minutes, 1, 1440);
  if (minutes <= 240) {
    return {{480, 480 + minutes}};
  }
  if (minutes <= 900) {
    return {{480, 720}, {780, 780 + minutes - 240}};
  }
  return {{1440 - minutes, 1440}};
}

int constraint_code(ConstraintKind kind) {
  switch (kind) {
    case ConstraintKind::kStartNoEarlierThan:
      return 4;
    case ConstraintKind::kMustFinishOn:
      return 3;
    case ConstraintKind::kFinishNoLaterThan:
      return 7;
  }
  return 0;
}

int link_code(LinkType type) {
  switch (type) {
    case LinkType::kFinishToFinish:
      return 0;
    case LinkType::kFinishToStart:
      return 1;
    case LinkType::kStartToFinish:
      return 2;
    case LinkType::kStartToStart:
      return 3;
  }
  return 1;
}

// A row of the written outline: a task of the project, or a lot summary the writer adds.
struct Row {
  const MspdiTask* task = nullptr;
  std::string_view lot;  // the added summary's name
  int uid = 0;
  int level = 1;
  bool summary = false;
};

// A flat project's tasks grouped by lot, each lot where its first task is; others unmoved.
std::vector<const MspdiTask*> grouped_by_lot(const std::vector<MspdiTask>& tasks) {
  const bool flat = std::none_of(tasks.begin(), tasks.end(), [](const MspdiTask& t) {
    return t.summary || t.outline_level > 1;
  });
  std::vector<const MspdiTask*> out;
  out.reserve(tasks.size());
  if (!flat) {
    for (const MspdiTask& t : tasks) {
      out.push_back(&t);
    }
    return out;
  }
  std::map<std::string_view, std::size_t> first;
  std::vector<std::size_t> key(tasks.size());
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    key[i] = tasks[i].lot.empty() ? i : first.emplace(tasks[i].lot, i).first->second;
  }
  std::vector<std::size_t> order(tasks.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    order[i] = i;
  }
  std::stable_sort(order.begin(), order.end(),
                   [&key](std::size_t a, std::size_t b) { return key[a] < key[b]; });
  for (std::size_t i : order) {
    out.push_back(&tasks[i]);
  }
  return out;
}

std::vector<Row> outline(const std::vector<MspdiTask>& tasks) {
  int next_uid = 0;
  for (const MspdiTask& t : tasks) {
    next_uid = std::max(next_uid, t.uid);
  }
  std::vector<Row> rows;
  rows.reserve(tasks.size());
  // The level-1 summary the rows are under, if any. Two variables rather than an optional:
  // GCC 12 at -O2 reports a comparison of an optional<string_view> as maybe uninitialised.
  bool lot_open = false;
  std::string_view open_lot;
  int previous = 0;
  for (const MspdiTask* t : grouped_by_lot(tasks)) {
    int level = std::max(1, t->outline_level);
    if (!t->lot.empty()) {
      if (!lot_open || open_lot != t->lot) {
        rows.push_back({nullptr, t->lot, ++next_uid, 1, true});
        lot_open = true;
        open_lot = t->lot;
        previous = 1;
      }
      level = std::max(level, 2);
    } else if (level >= 2 && lot_open && open_lot.empty()) {
      // under a lot summary without a name
    } else {
      level = 1;
      lot_open = false;
      open_lot = {};
    }
    level = std::min(level, previous + 1);
    if (level == 1 && t->summary) {
      lot_open = true;
      open_lot = t->name;
    }
    rows.push_back({t, {}, t->uid, level, t->summary});
    previous = level;
  }
  for (std::size_t i = 0; i + 1 < rows.size(); ++i) {
    rows[i].summary = rows[i].summary || rows[i + 1].level > rows[i].level;
  }
  return rows;
}

}  // namespace

Result<MspdiImport> parse_mspdi(std::string_view xml, const MspdiLimits& limits) {
  if (xml.size() > limits.max_bytes) {
    return Error{ErrorCode::kPayloadTooLarge,
                 "the file is " + std::to_string(xml.size()) + " bytes, more than the " +
                     std::to_string(limits.max_bytes) + " an import accepts",
                 {},
                 {}};
  }
  XML_Parser parser = XML_ParserCreateNS(nullptr, kNamespaceSeparator);
  if (parser == nullptr) {
    return Error::internal("expat could not allocate a parser");
  }
  Reader reader(parser, limits);
  auto result = reader.run(xml);
  XML_ParserFree(parser);
  return result;
}

Result<WorkingCalendar> to_working_calendar(const MspdiCalendar& calendar) {
  WorkingCalendar out;
  if (auto ok = out.set_working_weekdays(calendar.working_weekdays); !ok) {
    return ok.error();
  }
  // One status per day, the later exception winning; then non-working days in one batch, and
  // working days one by one (the calendar has no batch for those).
  std::map<Date, bool> status;
  for (const MspdiException& e : calendar.exceptions) {
    for (Date d = e.first; d <= e.last; d += days{1}) {
      status[d] = e.working;
    }
  }
  std::vector<Date> holidays;
  for (const auto& [day, working] : status) {
    if (!working) {
      holidays.push_back(day);
    }
  }
  out.add_holidays(holidays);
  for (const auto& [day, working] : status) {
    if (working) {
      out.set_exception(day, true);
    }
  }
  return out;
}

MspdiCalendar to_mspdi_calendar(const WorkingCalendar& calendar, std::string name) {
  MspdiCalendar out;
  out.name = std::move(name);
  out.working_weekdays = calendar.working_weekdays();
  std::array<bool, 7> weekday_working{};
  for (std::chrono::weekday wd : out.working_weekdays) {
    weekday_working[wd.c_encoding()] = true;
  }
  std::vector<Date> marked(calendar.holidays());
  for (const auto& [day, working] : calendar.exceptions()) {
    marked.push_back(day);
  }
  std::sort(marked.begin(), marked.end());
  marked.erase(std::unique(marked.begin(), marked.end()), marked.end());
  for (Date day : marked) {
    const bool working = calendar.is_working(day);
    if (working && weekday_working[std::chrono::weekday{day}.c_encoding()]) {
      continue;  // a holiday worked anyway on a working weekday: nothing to say
    }
    if (!out.exceptions.empty() && out.exceptions.back().working == working &&
        out.exceptions.back().last + days{1} == day) {
      out.exceptions.back().last = day;
    } else {
      out.exceptions.push_back({day, day, working, {}});
    }
  }
  return out;
}

std::string write_mspdi(const MspdiProject& project) {
  const int mpd = std::clamp(project.minutes_per_day, 1, 1440);
  const auto times = working_times(mpd);
  const int day_start = times.front().first;
  const int day_end = times.back().second;
  const std::vector<Row> rows = outline(project.tasks);

  // The lot summaries the writer adds span their tasks.
  auto working_calendar = to_working_calendar(project.calendar);
  const WorkingCalendar calendar =
      working_calendar.ok() ? std::move(working_calendar).value() : WorkingCalendar{};
  struct Span {
    std::optional<Date> start;
    std::optional<Date> finish;
  };
  std::vector<Span> spans(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (rows[i].task != nullptr) {
      continue;
    }
    for (std::size_t j = i + 1; j < rows.size() && rows[j].level > 1; ++j) {
      const MspdiTask& t = *rows[j].task;
      if (t.start && (!spans[i].start || *t.start < *spans[i].start)) {
        spans[i].start = t.start;
      }
      if (t.finish && (!spans[i].finish || *t.finish > *spans[i].finish)) {
        spans[i].finish = t.finish;
      }
    }
  }

  std::unordered_map<int, std::vector<const MspdiLink*>> links_to;
  std::set<int> uids;
  for (const MspdiTask& t : project.tasks) {
    uids.insert(t.uid);
  }
  for (const MspdiLink& l : project.links) {
    if (uids.count(l.predecessor_uid) != 0 && uids.count(l.successor_uid) != 0) {
      links_to[l.successor_uid].push_back(&l);
    }
  }

  XmlWriter w;
  w.open("Project", "xmlns=\"http://schemas.microsoft.com/project\"");
  w.leaf("SaveVersion", 14);
  if (!project.name.empty()) {
    w.leaf("Name", project.name);
    w.leaf("Title", project.name);
  }
  w.leaf("ScheduleFromStart", 1);
  w.leaf("StartDate", format_datetime(project.start, day_start));
  if (project.finish) {
    w.leaf("FinishDate", format_datetime(*project.finish, day_end));
  }
  // No costs travel in the file, but the schema requires a currency.
  w.leaf("CurrencyCode", "EUR");
  w.leaf("CalendarUID", 1);
  w.leaf("DefaultStartTime", format_time(day_start));
  w.leaf("DefaultFinishTime", format_time(day_end));
  w.leaf("MinutesPerDay", mpd);
  w.leaf("MinutesPerWeek", static_cast<std::int64_t>(mpd) *
                               static_cast<std::int64_t>(project.calendar.working_weekdays.size()));
  w.leaf("DaysPerMonth", 20);
  w.leaf("DurationFormat", 7);

  w.open("Calendars");
  w.open("Calendar");
  w.leaf("UID", 1);
  if (!project.calendar.name.empty()) {
    w.leaf("Name", project.calendar.name);
  }
  w.leaf("IsBaseCalendar", 1);
  w.leaf("BaseCalendarUID", -1);
  const auto write_times = [&w, &times] {
    w.open("WorkingTimes");
    for (const auto& [from, to] : times) {
      w.open("WorkingTime");
      w.leaf("FromTime", format_time(from));
      w.leaf("ToTime", format_time(to));
      w.close("WorkingTime");
    }
    w.close("WorkingTimes");
  };
  w.open("WeekDays");
  for (unsigned e = 0; e < 7; ++e) {
    const bool working =
        std::find(project.calendar.working_weekdays.begin(),
                  project.calendar.working_weekdays.end(),
                  std::chrono::weekday{e}) != project.calendar.working_weekdays.end();
    w.open("WeekDay");
    w.leaf("DayType", e + 1);  // 1 is Sunday
    w.leaf("DayWorking", working ? 1 : 0);
    if (working) {
      write_times();
    }
    w.close("WeekDay");
  }
  w.close("WeekDays");
  if (!project.calendar.exceptions.empty()) {
    w.open("Exceptions");
    for (const MspdiException& e : project.calendar.exceptions) {
      w.open("Exception");
      w.leaf("EnteredByOccurrences", 0);
      w.open("TimePeriod");
      w.leaf("FromDate", format_date(e.first) + "T00:00:00");
      w.leaf("ToDate", format_date(e.last) + "T23:59:00");
      w.close("TimePeriod");
      w.leaf("Occurrences", (e.last - e.first).count() + 1);
      if (!e.name.empty()) {
        w.leaf("Name", e.name);
      }
      w.leaf("Type", 1);  // daily
      w.leaf("DayWorking", e.working ? 1 : 0);
      if (e.working) {
        write_times();
      }
      w.close("Exception");
    }
    w.close("Exceptions");
  }
  w.close("Calendar");
  w.close("Calendars");

  w.open("Tasks");
  std::vector<int> outline_number;
  std::set<int> linked;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const Row& row = rows[i];
    const MspdiTask* t = row.task;
    outline_number.resize(static_cast<std::size_t>(row.level));
    ++outline_number.back();
    std::string number;
    for (int n : outline_number) {
      number += (number.empty() ? "" : ".") + std::to_string(n);
    }
    const std::optional<Date> start = t != nullptr ? t->start : spans[i].start;
    const std::optional<Date> finish = t != nullptr ? t->finish : spans[i].finish;
    std::int64_t duration = 0;
    if (t != nullptr) {
      duration = t->duration_days;
    } else if (start && finish && *finish >= *start) {
      duration = calendar.working_days_between(*start, *finish + days{1});
    }
    const bool milestone = t != nullptr && t->milestone;

    w.open("Task");
    w.leaf("UID", row.uid);
    w.leaf("ID", static_cast<std::int64_t>(i) + 1);
    w.leaf("Name", t != nullptr ? std::string_view(t->name) : row.lot);
    w.leaf("Type", 1);  // fixed duration: no resource changes it
    w.leaf("IsNull", 0);
    if (t != nullptr && !t->wbs.empty()) {
      w.leaf("WBS", t->wbs);
    }
    w.leaf("OutlineNumber", number);
    w.leaf("OutlineLevel", row.level);
    // A milestone sits at the end of its day, where the work it closes ends.
    if (start) {
      w.leaf("Start", format_datetime(*start, milestone ? day_end : day_start));
    }
    if (finish) {
      w.leaf("Finish", format_datetime(*finish, day_end));
    }
    const std::int64_t minutes = duration * mpd;
    w.leaf("Duration",
           "PT" + std::to_string(minutes / 60) + "H" + std::to_string(minutes % 60) + "M0S");
    w.leaf("DurationFormat", 7);  // days
    w.leaf("Milestone", milestone ? 1 : 0);
    w.leaf("Summary", row.summary ? 1 : 0);
    if (t != nullptr) {
      w.leaf("PercentComplete", t->percent_complete);
      if (t->actual_start) {
        w.leaf("ActualStart", format_datetime(*t->actual_start, day_start));
      }
      if (t->actual_finish) {
        w.leaf("ActualFinish", format_datetime(*t->actual_finish, day_end));
      }
      if (t->constraint) {
        const bool start_type = t->constraint->kind == ConstraintKind::kStartNoEarlierThan;
        w.leaf("ConstraintType", constraint_code(t->constraint->kind));
        w.leaf("ConstraintDate",
               format_datetime(t->constraint->date, start_type ? day_start : day_end));
      } else {
        w.leaf("ConstraintType", 0);
      }
      if (!t->notes.empty()) {
        w.leaf("Notes", t->notes);
      }
      const auto links = links_to.find(t->uid);
      if (links != links_to.end() && linked.insert(t->uid).second) {
        for (const MspdiLink* l : links->second) {
          w.open("PredecessorLink");
          w.leaf("PredecessorUID", l->predecessor_uid);
          w.leaf("Type", link_code(l->type));
          w.leaf("CrossProject", 0);
          w.leaf("LinkLag", static_cast<std::int64_t>(l->lag_days) * mpd * 10);
          w.leaf("LagFormat", 7);  // days
          w.close("PredecessorLink");
        }
      }
    }
    w.close("Task");
  }
  w.close("Tasks");
  w.close("Project");
  return std::move(w).take();
}

}  // namespace atelier::tasks::domain
