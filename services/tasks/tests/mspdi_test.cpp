// MS Project XML: a small construction job, written by hand in the layout MS Project 2016 saves
// (tests/data/maison_dupont.xml), read into the expected values and scheduled; round trips; and
// every kind of refusal with the line it names.
//
// The job starts on Monday 28 April 2025, Monday to Friday, with 1 May, 8 May and Ascension
// (29 May) off and Saturday 10 May worked to catch up:
//   Gros œuvre (lot)
//     2 Terrassement 3d, started on 28/04       5 Dalle haute 2.5d, SS +5d from 4
//     3 Fondations 5d, FS from 2                6 Fin du gros œuvre, milestone, FF from 5
//     4 Élévation des murs 8d, FS -2d from 3
//   Électricité (lot)
//     8 Saignées et gaines 4d, FS from 6, start no earlier than 26/05
//     9 Tirage des câbles 3d, FS from 8        11 Groupe électrogène 2d, SF from 10, ALAP
//    10 Raccordement Enedis 1d, FS from 9, finish no later than 20/06
#include "tasks/domain/mspdi.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <ostream>
#include <random>
#include <sstream>
#include <utility>

namespace atelier::tasks::domain {

// Readable failures for the values the tests compare whole.
static std::string iso(Date d) {
  const std::chrono::year_month_day ymd{d};
  return std::to_string(static_cast<int>(ymd.year())) + "-" +
         std::to_string(static_cast<unsigned>(ymd.month())) + "-" +
         std::to_string(static_cast<unsigned>(ymd.day()));
}

void PrintTo(const MspdiLink& l, std::ostream* os) {
  *os << l.predecessor_uid << " -" << link_type_code(l.type) << " " << l.lag_days << "d-> "
      << l.successor_uid;
}

void PrintTo(const MspdiException& e, std::ostream* os) {
  *os << "{" << iso(e.first) << ".." << iso(e.last) << (e.working ? " working " : " off ") << e.name
      << "}";
}

void PrintTo(const MspdiTask& t, std::ostream* os) {
  *os << "{uid " << t.uid << " '" << t.name << "' level " << t.outline_level
      << (t.summary ? " summary" : "") << " lot '" << t.lot << "' " << t.duration_days << "d}";
}

namespace {

using namespace std::chrono;

constexpr Date on(int y, unsigned m, unsigned d) {
  return year{y} / month{m} / day{d};
}

std::string read_fixture(const std::string& name) {
  std::ifstream in(std::string(ATELIER_TASKS_TEST_DATA) + "/" + name, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  EXPECT_FALSE(text.str().empty()) << name;
  return text.str();
}

const std::string& dupont() {
  static const std::string xml = read_fixture("maison_dupont.xml");
  return xml;
}

// The 1-based line of the n-th occurrence of `needle` in `text`.
long line_of(std::string_view text, std::string_view needle, int n = 1) {
  std::size_t at = std::string_view::npos;
  for (int i = 0; i < n; ++i) {
    at = text.find(needle, at == std::string_view::npos ? 0 : at + 1);
    if (at == std::string_view::npos) {
      ADD_FAILURE() << "no occurrence " << n << " of " << needle;
      return 0;
    }
  }
  return 1 +
         static_cast<long>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n'));
}

MspdiImport parsed(std::string_view xml, const MspdiLimits& limits = {}) {
  auto result = parse_mspdi(xml, limits);
  EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().message);
  return result.ok() ? std::move(result).value() : MspdiImport{};
}

Error refused(std::string_view xml, const MspdiLimits& limits = {}) {
  auto result = parse_mspdi(xml, limits);
  EXPECT_FALSE(result.ok());
  return result.ok() ? Error{} : result.error();
}

// A minimal document: its tasks begin on line 5, so a task written on one line is on line 5 + i.
std::string doc(std::string_view tasks, std::string_view head = "",
                std::string_view calendars = "") {
  std::string out =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<Project xmlns=\"http://schemas.microsoft.com/project\">\n"
      "<StartDate>2025-03-03T08:00:00</StartDate>";
  out += head;
  out += "\n<Tasks>\n";
  out += tasks;
  out += "</Tasks>";
  out += calendars;
  out += "\n</Project>\n";
  return out;
}

// One task on one line.
std::string task(int uid, std::string_view duration = "PT8H0M0S", std::string_view more = "") {
  return "<Task><UID>" + std::to_string(uid) + "</UID><Name>T" + std::to_string(uid) +
         "</Name><OutlineLevel>1</OutlineLevel><Duration>" + std::string(duration) + "</Duration>" +
         std::string(more) + "</Task>\n";
}

std::string link(int predecessor, int type = 1, long lag = 0, int format = 7) {
  return "<PredecessorLink><PredecessorUID>" + std::to_string(predecessor) +
         "</PredecessorUID><Type>" + std::to_string(type) + "</Type><LinkLag>" +
         std::to_string(lag) + "</LinkLag><LagFormat>" + std::to_string(format) +
         "</LagFormat></PredecessorLink>";
}

const MspdiTask* find_task(const MspdiProject& p, int uid) {
  for (const MspdiTask& t : p.tasks) {
    if (t.uid == uid) {
      return &t;
    }
  }
  ADD_FAILURE() << "no task " << uid;
  return nullptr;
}

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

// ---------------------------------------------------------------------------------------------
// The job

TEST(MspdiImport, ReadsTheProjectAndItsCalendar) {
  const MspdiImport in = parsed(dupont());
  const MspdiProject& p = in.project;
  EXPECT_EQ(p.name, "Maison Dupont – extension");  // the Title, not the file's Name
  EXPECT_EQ(p.start, on(2025, 4, 28));
  EXPECT_EQ(p.finish, on(2025, 6, 5));
  EXPECT_EQ(p.minutes_per_day, 480);
  EXPECT_EQ(p.calendar.name, "Standard");
  EXPECT_EQ(p.calendar.working_weekdays,
            (std::vector<weekday>{Monday, Tuesday, Wednesday, Thursday, Friday}));
  // The DayType 0 copy of 1 May for older readers is not counted twice; the resource calendar
  // (working Saturdays) is not the project's.
  const std::vector<MspdiException> exceptions = {
      {on(2025, 5, 1), on(2025, 5, 1), false, "Fête du travail"},
      {on(2025, 5, 8), on(2025, 5, 8), false, "Victoire 1945"},
      {on(2025, 5, 10), on(2025, 5, 10), true, "Rattrapage du 8 mai"},
      {on(2025, 5, 29), on(2025, 5, 29), false, "Ascension"},
  };
  EXPECT_EQ(p.calendar.exceptions, exceptions);
}

TEST(MspdiImport, ReadsTasksWithTheirLotsInOutlineOrder) {
  const MspdiProject p = parsed(dupont()).project;
  // The project summary task (UID 0) is the project, not a task.
  std::vector<int> uids;
  for (const MspdiTask& t : p.tasks) {
    uids.push_back(t.uid);
  }
  EXPECT_EQ(uids, (std::vector<int>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}));

  const MspdiTask& gros_oeuvre = p.tasks[0];
  EXPECT_EQ(gros_oeuvre.name, "Gros œuvre");
  EXPECT_TRUE(gros_oeuvre.summary);
  EXPECT_EQ(gros_oeuvre.outline_level, 1);
  EXPECT_EQ(gros_oeuvre.lot, "");
  EXPECT_EQ(gros_oeuvre.wbs, "1");

  const MspdiTask& terrassement = p.tasks[1];
  EXPECT_EQ(terrassement.name, "Terrassement");
  EXPECT_EQ(terrassement.lot, "Gros œuvre");
  EXPECT_EQ(terrassement.outline_level, 2);
  EXPECT_EQ(terrassement.wbs, "1.1");
  EXPECT_FALSE(terrassement.summary);
  EXPECT_EQ(terrassement.duration_days, 3);         // PT24H0M0S of 480-minute days
  EXPECT_EQ(terrassement.start, on(2025, 4, 28));   // not the baseline's 22 April
  EXPECT_EQ(terrassement.finish, on(2025, 4, 30));  // nor its 24 April
  EXPECT_EQ(terrassement.actual_start, on(2025, 4, 28));
  EXPECT_FALSE(terrassement.actual_finish);
  EXPECT_EQ(terrassement.percent_complete, 50);
  EXPECT_FALSE(terrassement.constraint);

  EXPECT_EQ(find_task(p, 4)->notes, "Chaînages & linteaux <béton armé> : voir plan S-04.");
  EXPECT_EQ(find_task(p, 5)->duration_days, 3);  // 2.5 days, rounded up

  const MspdiTask& milestone = *find_task(p, 6);
  EXPECT_TRUE(milestone.milestone);
  EXPECT_EQ(milestone.duration_days, 0);
  EXPECT_EQ(milestone.start, on(2025, 5, 16));
  EXPECT_EQ(milestone.lot, "Gros œuvre");

  const MspdiTask& electricite = *find_task(p, 7);
  EXPECT_TRUE(electricite.summary);
  EXPECT_EQ(electricite.lot, "");
  const MspdiTask& saignees = *find_task(p, 8);
  EXPECT_EQ(saignees.lot, "Électricité");
  EXPECT_EQ(saignees.constraint,
            (MspdiConstraint{ConstraintKind::kStartNoEarlierThan, on(2025, 5, 26)}));
  EXPECT_EQ(find_task(p, 10)->constraint,
            (MspdiConstraint{ConstraintKind::kFinishNoLaterThan, on(2025, 6, 20)}));
  EXPECT_FALSE(find_task(p, 11)->constraint);  // as late as possible: not supported
  EXPECT_EQ(find_task(p, 11)->lot, "Électricité");
}

TEST(MspdiImport, ReadsAllFourLinkTypesAndALead) {
  const MspdiProject p = parsed(dupont()).project;
  const std::vector<MspdiLink> links = {
      {2, 3, LinkType::kFinishToStart, 0},  {3, 4, LinkType::kFinishToStart, -2},
      {4, 5, LinkType::kStartToStart, 5},   {5, 6, LinkType::kFinishToFinish, 0},
      {6, 8, LinkType::kFinishToStart, 0},  {8, 9, LinkType::kFinishToStart, 0},
      {9, 10, LinkType::kFinishToStart, 0}, {10, 11, LinkType::kStartToFinish, 0},
  };
  EXPECT_EQ(p.links, links);
}

TEST(MspdiImport, WarnsAboutWhatItRoundedOrDropped) {
  const MspdiImport in = parsed(dupont());
  ASSERT_EQ(in.warnings.size(), 2u);
  EXPECT_EQ(in.warnings[0], "line " + std::to_string(line_of(dupont(), "<Duration>PT20H0M0S")) +
                                ": task 5 'Dalle haute': Duration 'PT20H0M0S' is 2.5 days of 480 "
                                "minutes; rounded up to 3");
  EXPECT_EQ(in.warnings[1],
            "line " + std::to_string(line_of(dupont(), "<ConstraintType>1<")) +
                ": task 11 'Groupe électrogène de chantier': the constraint 'as late as "
                "possible' is not supported; the task is imported without a constraint");
}

// What the tasks service does with an import: the work tasks (summaries are structure) on the
// file's calendar.
TEST(MspdiImport, TheImportedJobSchedulesOnItsCalendar) {
  const MspdiProject p = parsed(dupont()).project;
  Plan plan;
  plan.start = p.start;
  std::map<int, TaskIndex> index;
  for (const MspdiTask& t : p.tasks) {
    if (t.summary) {
      continue;
    }
    index[t.uid] = static_cast<TaskIndex>(plan.tasks.size());
    TaskInput in;
    in.id = std::to_string(t.uid);
    in.duration = t.duration_days;
    if (t.constraint) {
      in.constraint = Constraint{t.constraint->kind, t.constraint->date};
    }
    in.actual_start = t.actual_start;
    in.actual_finish = t.actual_finish;
    plan.tasks.push_back(in);
  }
  for (const MspdiLink& l : p.links) {
    plan.links.push_back(
        {index.at(l.predecessor_uid), index.at(l.successor_uid), l.type, l.lag_days});
  }
  auto calendar = to_working_calendar(p.calendar);
  ASSERT_TRUE(calendar.ok());
  auto schedule = compute_schedule(plan, *calendar);
  ASSERT_TRUE(schedule.ok()) << schedule.error().message;
  const auto early = [&](int uid) {
    const ScheduledTask& s = schedule->tasks[index.at(uid)];
    return std::pair{s.early_start, s.early_finish};
  };
  // Fondations skip the 1 May holiday: Fri 2, Mon 5 .. Wed 7, Fri 9 (8 May is off).
  EXPECT_EQ(early(3), std::pair(on(2025, 5, 2), on(2025, 5, 9)));
  // Two days' lead: the walls start on Wed 7 May; with Saturday 10 worked, 8 days end Fri 16.
  EXPECT_EQ(early(4), std::pair(on(2025, 5, 7), on(2025, 5, 16)));
  // SS +5 working days from Wed 7 (Fri 9, Sat 10, Mon 12, Tue 13, Wed 14).
  EXPECT_EQ(early(5), std::pair(on(2025, 5, 14), on(2025, 5, 16)));
  EXPECT_EQ(early(6), std::pair(on(2025, 5, 16), on(2025, 5, 16)));
  // Links allow Mon 19 May; the constraint holds it to Mon 26, and Ascension stretches it to 30.
  EXPECT_EQ(early(8), std::pair(on(2025, 5, 26), on(2025, 5, 30)));
  EXPECT_EQ(early(10), std::pair(on(2025, 6, 5), on(2025, 6, 5)));
  // SF: the generator runs until the evening before the grid connection starts.
  EXPECT_EQ(early(11), std::pair(on(2025, 6, 3), on(2025, 6, 4)));
  EXPECT_EQ(schedule->project_finish, on(2025, 6, 5));
}

// ---------------------------------------------------------------------------------------------
// Round trips

TEST(MspdiRoundTrip, AWrittenFileReadsBackAsTheSameProject) {
  const MspdiProject p = parsed(dupont()).project;
  const std::string xml = write_mspdi(p);
  const MspdiImport again = parsed(xml);
  EXPECT_EQ(again.project.tasks, p.tasks);
  EXPECT_EQ(again.project.links, p.links);
  EXPECT_EQ(again.project.calendar.exceptions, p.calendar.exceptions);
  EXPECT_EQ(again.project, p);
  EXPECT_TRUE(again.warnings.empty()) << again.warnings.front();
  EXPECT_EQ(write_mspdi(again.project), xml);
}

TEST(MspdiRoundTrip, FlatTasksComeBackUnderOneSummaryPerLot) {
  MspdiProject p;
  p.name = "Plan à plat";
  p.start = on(2025, 3, 3);
  const auto flat = [](int uid, std::string name, std::string lot, Date start, Date finish,
                       int duration) {
    MspdiTask t;
    t.uid = uid;
    t.name = std::move(name);
    t.lot = std::move(lot);
    t.start = start;
    t.finish = finish;
    t.duration_days = duration;
    return t;
  };
  p.tasks = {flat(1, "Installation de chantier", "", on(2025, 3, 3), on(2025, 3, 3), 1),
             flat(2, "Fondations", "Gros œuvre", on(2025, 3, 4), on(2025, 3, 10), 5),
             flat(3, "Tableau", "Électricité", on(2025, 3, 18), on(2025, 3, 19), 2),
             flat(4, "Murs", "Gros œuvre", on(2025, 3, 11), on(2025, 3, 17), 5)};
  p.links = {{1, 2, LinkType::kFinishToStart, 0},
             {2, 4, LinkType::kFinishToStart, 0},
             {4, 3, LinkType::kFinishToStart, 0}};
  const MspdiProject back = parsed(write_mspdi(p)).project;

  struct Row {
    int uid;
    std::string name;
    int level;
    bool summary;
    std::string lot;
  };
  const std::vector<Row> expected = {
      {1, "Installation de chantier", 1, false, ""},
      {5, "Gros œuvre", 1, true, ""},  // added, with the next free UIDs
      {2, "Fondations", 2, false, "Gros œuvre"},
      {4, "Murs", 2, false, "Gros œuvre"},  // grouped with its lot
      {6, "Électricité", 1, true, ""},
      {3, "Tableau", 2, false, "Électricité"},
  };
  ASSERT_EQ(back.tasks.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    SCOPED_TRACE(expected[i].name);
    EXPECT_EQ(back.tasks[i].uid, expected[i].uid);
    EXPECT_EQ(back.tasks[i].name, expected[i].name);
    EXPECT_EQ(back.tasks[i].outline_level, expected[i].level);
    EXPECT_EQ(back.tasks[i].summary, expected[i].summary);
    EXPECT_EQ(back.tasks[i].lot, expected[i].lot);
  }
  // The lot summary spans its tasks: 4 to 17 March, ten working days.
  EXPECT_EQ(back.tasks[1].start, on(2025, 3, 4));
  EXPECT_EQ(back.tasks[1].finish, on(2025, 3, 17));
  EXPECT_EQ(back.tasks[1].duration_days, 10);
  EXPECT_EQ(back.tasks[2].duration_days, 5);
  // Links come back grouped by successor, in task order.
  EXPECT_EQ(back.links, (std::vector<MspdiLink>{{1, 2, LinkType::kFinishToStart, 0},
                                                {2, 4, LinkType::kFinishToStart, 0},
                                                {4, 3, LinkType::kFinishToStart, 0}}));
  // And from there the round trip is exact.
  EXPECT_EQ(parsed(write_mspdi(back)).project, back);
}

// Whatever the reader accepts, however odd, the writer gives back: the job's file with a few
// random cuts, stray characters and inserted elements (outline jumps, summaries, leads, blank
// rows, recurring exceptions), read, written and read again.
TEST(MspdiRoundTrip, AnythingReadWritesBackToTheSameProject) {
  std::mt19937 rng(20250428);
  const std::string_view noise = "<>/&;\"'=-0123456789PTHMSDWY.:x \n\xc3\xa9";
  const std::vector<std::string> inserts = {
      "<Task>",
      "</Task>",
      "<OutlineLevel>3</OutlineLevel>",
      "<Summary>1</Summary>",
      "<Milestone>1</Milestone>",
      "<IsNull>1</IsNull>",
      "<LinkLag>-4801</LinkLag>",
      "<Duration>PT1.5H</Duration>",
      "<Type>3</Type>",
      "<ConstraintType>3</ConstraintType>",
      "<PredecessorLink><PredecessorUID>2</PredecessorUID></PredecessorLink>",
      "<Exception><TimePeriod><FromDate>2025-01-01</FromDate><ToDate>2028-01-03</ToDate>"
      "</TimePeriod><Type>2</Type><Month>1</Month><MonthDay>29</MonthDay></Exception>"};
  int read = 0;
  for (int i = 0; i < 400; ++i) {
    std::string xml = dupont();
    for (int edits = 1 + static_cast<int>(rng() % 3); edits > 0; --edits) {
      const std::size_t at = rng() % xml.size();
      switch (rng() % 3) {
        case 0:
          xml.erase(at, 1 + rng() % 16);
          break;
        case 1:
          xml.insert(at, 1, noise[rng() % noise.size()]);
          break;
        default:
          xml.insert(at, inserts[rng() % inserts.size()]);
          break;
      }
    }
    auto first = parse_mspdi(xml);
    if (!first.ok()) {
      EXPECT_TRUE(first.error().message.starts_with("line ")) << first.error().message;
      continue;
    }
    ++read;
    auto again = parse_mspdi(write_mspdi(first->project));
    ASSERT_TRUE(again.ok()) << again.error().message;
    ASSERT_EQ(again->project, first->project) << "mutation " << i;
  }
  EXPECT_GT(read, 20);  // enough survive to mean something
}

TEST(MspdiRoundTrip, NamesAreEscapedAndWhatXmlCannotCarryIsDropped) {
  MspdiProject p;
  p.name = "&<>\"'";
  p.start = on(2025, 3, 3);
  MspdiTask t;
  t.uid = 1;
  t.name = "Béton & acier <C25/30> \"coulé\" 'sur place'";
  t.notes = std::string("ligne 1\r\nligne 2\tfin") + "\x01\x1f\xff\xef\xbf\xbe" + "!";
  p.tasks = {t};
  p.calendar.exceptions = {{on(2025, 5, 1), on(2025, 5, 1), false, "1er mai <férié>"}};
  const std::string xml = write_mspdi(p);
  EXPECT_TRUE(contains(xml, "<Name>&amp;&lt;&gt;&quot;&apos;</Name>"));
  EXPECT_TRUE(
      contains(xml, "Béton &amp; acier &lt;C25/30&gt; &quot;coulé&quot; &apos;sur place&apos;"));
  const MspdiProject back = parsed(xml).project;
  EXPECT_EQ(back.name, "&<>\"'");
  EXPECT_EQ(back.tasks.at(0).name, t.name);
  // Control characters, a byte that is not UTF-8 and U+FFFE are dropped; CR, LF, tab stay.
  EXPECT_EQ(back.tasks.at(0).notes, "ligne 1\r\nligne 2\tfin!");
  EXPECT_EQ(back.calendar.exceptions.at(0).name, "1er mai <férié>");
}

TEST(MspdiWrite, WritesTheElementsMsProjectExpectsInSchemaOrder) {
  const std::string xml = write_mspdi(parsed(dupont()).project);
  EXPECT_TRUE(
      xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                      "<Project xmlns=\"http://schemas.microsoft.com/project\">\n"));
  const auto in_order = [](std::string_view text, std::vector<std::string_view> parts) {
    std::size_t at = 0;
    for (std::string_view part : parts) {
      const std::size_t found = text.find(part, at);
      if (found == std::string_view::npos) {
        ADD_FAILURE() << part << " missing or out of order";
        return;
      }
      at = found + part.size();
    }
  };
  in_order(xml, {"<SaveVersion>14</SaveVersion>", "<Name>Maison Dupont – extension</Name>",
                 "<Title>", "<StartDate>2025-04-28T08:00:00</StartDate>",
                 "<FinishDate>2025-06-05T17:00:00</FinishDate>", "<CalendarUID>1</CalendarUID>",
                 "<MinutesPerDay>480</MinutesPerDay>", "<Calendars>", "<Tasks>", "</Project>"});
  in_order(xml, {"<Calendar>", "<UID>1</UID>", "<Name>Standard</Name>",
                 "<IsBaseCalendar>1</IsBaseCalendar>", "<DayType>1</DayType>",
                 "<DayWorking>0</DayWorking>", "<DayType>2</DayType>", "<DayWorking>1</DayWorking>",
                 "<FromTime>08:00:00</FromTime>", "<ToTime>12:00:00</ToTime>",
                 "<FromTime>13:00:00</FromTime>", "<ToTime>17:00:00</ToTime>", "<Exceptions>",
                 "<FromDate>2025-05-01T00:00:00</FromDate>", "<ToDate>2025-05-01T23:59:00</ToDate>",
                 "<Name>Fête du travail</Name>", "<Type>1</Type>", "<DayWorking>0</DayWorking>"});
  // Terrassement, then Élévation des murs with its notes and its lead.
  in_order(xml, {"<UID>2</UID>",
                 "<ID>2</ID>",
                 "<Name>Terrassement</Name>",
                 "<Type>1</Type>",
                 "<WBS>1.1</WBS>",
                 "<OutlineNumber>1.1</OutlineNumber>",
                 "<OutlineLevel>2</OutlineLevel>",
                 "<Start>2025-04-28T08:00:00</Start>",
                 "<Finish>2025-04-30T17:00:00</Finish>",
                 "<Duration>PT24H0M0S</Duration>",
                 "<DurationFormat>7</DurationFormat>",
                 "<Milestone>0</Milestone>",
                 "<Summary>0</Summary>",
                 "<PercentComplete>50</PercentComplete>",
                 "<ActualStart>2025-04-28T08:00:00</ActualStart>",
                 "<ConstraintType>0</ConstraintType>",
                 "</Task>",
                 "<UID>4</UID>",
                 "<Notes>Chaînages &amp; linteaux",
                 "<PredecessorLink>",
                 "<PredecessorUID>3</PredecessorUID>",
                 "<Type>1</Type>",
                 "<LinkLag>-9600</LinkLag>",
                 "<LagFormat>7</LagFormat>"});
  in_order(xml, {"<UID>8</UID>", "<ConstraintType>4</ConstraintType>",
                 "<ConstraintDate>2025-05-26T08:00:00</ConstraintDate>", "<UID>10</UID>",
                 "<ConstraintType>7</ConstraintType>",
                 "<ConstraintDate>2025-06-20T17:00:00</ConstraintDate>"});
}

// ---------------------------------------------------------------------------------------------
// Values

TEST(MspdiValues, DurationsInWorkingTimeBecomeWorkingDays) {
  const MspdiImport in =
      parsed(doc(task(1, "PT16H0M0S") + task(2, "PT0H0M0S") + task(3, "PT480M") +
                 task(4, "PT7.5H") + task(5, "P1D") + task(6, "P1W") + task(7, "PT8H0M0.5S")));
  std::vector<int> got;
  for (const MspdiTask& t : in.project.tasks) {
    got.push_back(t.duration_days);
  }
  // A day of ISO 8601 is 24 hours: three 8-hour working days.
  EXPECT_EQ(got, (std::vector<int>{2, 0, 1, 1, 3, 21, 2}));
  ASSERT_EQ(in.warnings.size(), 2u);
  EXPECT_EQ(in.warnings[0],
            "line 8: task 4 'T4': Duration 'PT7.5H' is 0.93 days of 480 minutes; rounded up to 1");
  EXPECT_TRUE(contains(in.warnings[1], "line 11: task 7 'T7'")) << in.warnings[1];
}

TEST(MspdiValues, AnEmptyElementIsAnAbsentValue) {
  const MspdiImport in = parsed(doc(
      "<Task><UID>1</UID><OutlineLevel/><Duration></Duration><PercentComplete> </PercentComplete>"
      "<ConstraintType/><Start/></Task>\n"));
  ASSERT_EQ(in.project.tasks.size(), 1u);
  EXPECT_EQ(in.project.tasks[0].outline_level, 1);
  EXPECT_EQ(in.project.tasks[0].duration_days, 0);
  EXPECT_FALSE(in.project.tasks[0].start);
}

TEST(MspdiValues, DaysFollowTheFilesMinutesPerDay) {
  const MspdiImport in = parsed(doc(task(1, "PT14H0M0S", link(2, 1, 4200)) + task(2, "PT21H0M0S"),
                                    "<MinutesPerDay>420</MinutesPerDay>"));
  EXPECT_EQ(in.project.minutes_per_day, 420);
  EXPECT_EQ(in.project.tasks.at(0).duration_days, 2);
  EXPECT_EQ(in.project.tasks.at(1).duration_days, 3);
  EXPECT_EQ(in.project.links.at(0).lag_days, 1);  // 4200 tenths of a minute: one 7-hour day
  EXPECT_TRUE(in.warnings.empty());
}

TEST(MspdiValues, PartialAndElapsedLagsAreRoundedTowardsTheLaterDate) {
  const MspdiImport in = parsed(doc(task(1) + task(2, "PT8H0M0S", link(1, 1, 2400)) +
                                    task(3, "PT8H0M0S", link(1, 1, -2400)) +
                                    task(4, "PT8H0M0S", link(1, 1, 28800, 8))));  // 2 elapsed days
  const std::vector<MspdiLink> links = {{1, 2, LinkType::kFinishToStart, 1},
                                        {1, 3, LinkType::kFinishToStart, 0},
                                        {1, 4, LinkType::kFinishToStart, 2}};
  EXPECT_EQ(in.project.links, links);
  ASSERT_EQ(in.warnings.size(), 3u);
  EXPECT_EQ(in.warnings[0],
            "line 6: task 2 'T2': the lag from task 1 of 0.5 days is rounded up to 1");
  EXPECT_EQ(in.warnings[1],
            "line 7: task 3 'T3': the lag from task 1 of -0.5 days is rounded up to 0");
  EXPECT_EQ(in.warnings[2],
            "line 8: task 4 'T4': the elapsed lag from task 1 is counted as 2 working days");
}

TEST(MspdiValues, UnsupportedConstraintsAreDroppedWithAWarningNamingTheTask) {
  const std::string date = "<ConstraintDate>2025-03-10T08:00:00</ConstraintDate>";
  const MspdiImport in =
      parsed(doc(task(1, "PT8H0M0S", "<ConstraintType>2</ConstraintType>" + date) +
                 task(2, "PT8H0M0S", "<ConstraintType>5</ConstraintType>" + date) +
                 task(3, "PT8H0M0S", "<ConstraintType>6</ConstraintType>" + date) +
                 task(4, "PT8H0M0S", "<ConstraintType>3</ConstraintType>" + date) +
                 task(5, "PT8H0M0S", "<ConstraintType>0</ConstraintType>")));
  EXPECT_FALSE(in.project.tasks[0].constraint);
  EXPECT_EQ(in.project.tasks[3].constraint,
            (MspdiConstraint{ConstraintKind::kMustFinishOn, on(2025, 3, 10)}));
  EXPECT_FALSE(in.project.tasks[4].constraint);
  ASSERT_EQ(in.warnings.size(), 3u);
  EXPECT_EQ(in.warnings[0],
            "line 5: task 1 'T1': the constraint 'must start on' is not supported; the task is "
            "imported without a constraint");
  EXPECT_TRUE(contains(in.warnings[1], "task 2 'T2': the constraint 'start no later than'"));
  EXPECT_TRUE(contains(in.warnings[2], "task 3 'T3': the constraint 'finish no earlier than'"));
}

TEST(MspdiValues, BlankRowsAndTheProjectSummaryAreNotTasks) {
  const MspdiImport in =
      parsed(doc("<Task><UID>0</UID><Name>Le projet</Name><OutlineLevel>0</OutlineLevel></Task>\n"
                 "<Task><UID>7</UID><IsNull>1</IsNull></Task>\n" +
                 task(1)));
  ASSERT_EQ(in.project.tasks.size(), 1u);
  EXPECT_EQ(in.project.tasks[0].uid, 1);
  EXPECT_EQ(in.project.name, "Le projet");  // no Title nor Name: the summary task names it
}

TEST(MspdiValues, ALinkFromAnotherProjectIsLeftOut) {
  const MspdiImport in = parsed(
      doc(task(1, "PT8H0M0S",
               "<PredecessorLink><PredecessorUID>99</PredecessorUID><CrossProject>1</CrossProject>"
               "<CrossProjectName>autre.mpp\\99</CrossProjectName></PredecessorLink>")));
  EXPECT_TRUE(in.project.links.empty());
  ASSERT_EQ(in.warnings.size(), 1u);
  EXPECT_EQ(in.warnings[0], "line 5: task 1 'T1': the link from another project is left out");
}

TEST(MspdiValues, AFileWithoutNamespaceIsRead) {
  std::string xml = doc(task(1));
  xml.replace(xml.find(" xmlns="),
              std::string_view(" xmlns=\"http://schemas.microsoft.com/project\"").size(), "");
  EXPECT_EQ(parsed(xml).project.tasks.size(), 1u);
}

// ---------------------------------------------------------------------------------------------
// Calendars

std::string calendar(std::string_view body, int uid = 1) {
  return "\n<Calendars><Calendar><UID>" + std::to_string(uid) +
         "</UID><Name>Chantier</Name><IsBaseCalendar>1</IsBaseCalendar>" + std::string(body) +
         "</Calendar></Calendars>";
}

std::string exception(std::string_view from, std::string_view to, std::string_view more) {
  return "<Exception><TimePeriod><FromDate>" + std::string(from) + "</FromDate><ToDate>" +
         std::string(to) + "</ToDate></TimePeriod>" + std::string(more) + "</Exception>";
}

TEST(MspdiCalendar, RecurringExceptionsAreExpandedYearByYear) {
  const std::string body =
      "<Exceptions>" +
      exception("2025-05-01T00:00:00", "2027-05-01T23:59:00",
                "<Name>1er mai</Name><Type>2</Type><Month>4</Month><MonthDay>1</MonthDay>"
                "<DayWorking>0</DayWorking>") +
      // The last Monday of May (MonthItem 4: Monday; MonthPosition 4: last).
      exception("2025-05-01T00:00:00", "2026-06-01T00:00:00",
                "<Name>Fête locale</Name><Type>3</Type><Month>4</Month><MonthItem>4</MonthItem>"
                "<MonthPosition>4</MonthPosition><DayWorking>0</DayWorking>") +
      // Every other day for a week: 2, 4, 6 June.
      exception("2025-06-02T00:00:00", "2025-06-08T00:00:00",
                "<Name>Marché</Name><Type>1</Type><Period>2</Period><DayWorking>0</DayWorking>") +
      // Every Friday: not supported.
      exception("2025-06-02T00:00:00", "2025-06-30T23:59:00",
                "<Name>Vendredis</Name><Type>6</Type><DaysOfWeek>64</DaysOfWeek>"
                "<DayWorking>0</DayWorking>") +
      "</Exceptions>";
  const MspdiImport in = parsed(doc(task(1), "<CalendarUID>1</CalendarUID>", calendar(body)));
  const std::vector<MspdiException> expected = {
      {on(2025, 5, 1), on(2025, 5, 1), false, "1er mai"},
      {on(2026, 5, 1), on(2026, 5, 1), false, "1er mai"},
      {on(2027, 5, 1), on(2027, 5, 1), false, "1er mai"},
      {on(2025, 5, 26), on(2025, 5, 26), false, "Fête locale"},
      {on(2026, 5, 25), on(2026, 5, 25), false, "Fête locale"},
      {on(2025, 6, 2), on(2025, 6, 2), false, "Marché"},
      {on(2025, 6, 4), on(2025, 6, 4), false, "Marché"},
      {on(2025, 6, 6), on(2025, 6, 6), false, "Marché"},
  };
  EXPECT_EQ(in.project.calendar.exceptions, expected);
  EXPECT_EQ(in.project.calendar.name, "Chantier");
  ASSERT_EQ(in.warnings.size(), 1u);
  EXPECT_TRUE(contains(in.warnings[0], "calendar exception 'Vendredis' recurs monthly or weekly"));
}

TEST(MspdiCalendar, ADerivedCalendarKeepsItsBaseWeekAndAddsToIt) {
  const std::string calendars =
      "\n<Calendars>"
      "<Calendar><UID>1</UID><Name>Standard</Name><IsBaseCalendar>1</IsBaseCalendar>"
      "<WeekDays><WeekDay><DayType>6</DayType><DayWorking>0</DayWorking></WeekDay>"
      "<WeekDay><DayType>0</DayType><DayWorking>0</DayWorking><TimePeriod>"
      "<FromDate>2025-12-24T00:00:00</FromDate><ToDate>2025-12-26T23:59:00</ToDate>"
      "</TimePeriod></WeekDay></WeekDays></Calendar>"
      "<Calendar><UID>2</UID><Name>Équipe de nuit</Name><IsBaseCalendar>0</IsBaseCalendar>"
      "<BaseCalendarUID>1</BaseCalendarUID><WeekDays><WeekDay><DayType>7</DayType>"
      "<DayWorking>1</DayWorking></WeekDay></WeekDays><Exceptions>" +
      exception("2025-12-27T00:00:00", "2025-12-27T23:59:00", "<DayWorking>0</DayWorking>") +
      "</Exceptions></Calendar></Calendars>";
  const MspdiImport in = parsed(doc(task(1), "<CalendarUID>2</CalendarUID>", calendars));
  const MspdiCalendar& c = in.project.calendar;
  EXPECT_EQ(c.name, "Équipe de nuit");
  // Monday to Thursday from the base (Friday off there), Saturday from its own week.
  EXPECT_EQ(c.working_weekdays,
            (std::vector<weekday>{Monday, Tuesday, Wednesday, Thursday, Saturday}));
  const std::vector<MspdiException> expected = {
      {on(2025, 12, 24), on(2025, 12, 26), false, ""},  // the base's, old style
      {on(2025, 12, 27), on(2025, 12, 27), false, ""},
  };
  EXPECT_EQ(c.exceptions, expected);
}

TEST(MspdiCalendar, ConvertsToAndFromTheSchedulersCalendar) {
  const WorkingCalendar french = french_working_calendar(2025, 2026);
  WorkingCalendar with_exceptions = french;
  with_exceptions.set_exception(on(2025, 7, 12), true);   // a Saturday worked
  with_exceptions.set_exception(on(2025, 7, 14), true);   // a holiday worked anyway
  with_exceptions.set_exception(on(2025, 8, 18), false);  // a week's closure...
  with_exceptions.set_exception(on(2025, 8, 19), false);
  with_exceptions.set_exception(on(2025, 8, 20), false);
  const MspdiCalendar mspdi = to_mspdi_calendar(with_exceptions);
  // Consecutive days off are one exception; the holiday worked on a Monday needs none.
  EXPECT_NE(std::find(mspdi.exceptions.begin(), mspdi.exceptions.end(),
                      MspdiException{on(2025, 8, 18), on(2025, 8, 20), false, ""}),
            mspdi.exceptions.end());
  EXPECT_NE(std::find(mspdi.exceptions.begin(), mspdi.exceptions.end(),
                      MspdiException{on(2025, 7, 12), on(2025, 7, 12), true, ""}),
            mspdi.exceptions.end());
  auto back = to_working_calendar(
      parsed(write_mspdi({"p", on(2025, 1, 6), {}, 480, mspdi, {}, {}})).project.calendar);
  ASSERT_TRUE(back.ok());
  for (Date d = on(2025, 1, 1); d <= on(2026, 12, 31); d += days{1}) {
    ASSERT_EQ(back->is_working(d), with_exceptions.is_working(d)) << iso(d);
  }
  MspdiCalendar none;
  none.working_weekdays.clear();
  EXPECT_FALSE(to_working_calendar(none).ok());
}

// ---------------------------------------------------------------------------------------------
// Refusals: each names its line.

TEST(MspdiErrors, MalformedXmlNamesLineAndColumn) {
  const Error e = refused(
      "<?xml version=\"1.0\"?>\n"
      "<Project xmlns=\"http://schemas.microsoft.com/project\">\n"
      "  <Tasks>\n"
      "    <Task><UID>1</Name></Task>\n"
      "  </Tasks>\n"
      "</Project>\n");
  EXPECT_EQ(e.code, ErrorCode::kInvalid);
  EXPECT_EQ(e.message, "line 4, column 19: mismatched tag");
  EXPECT_EQ(refused("").message, "line 1, column 1: no element found");
  EXPECT_EQ(refused(doc(task(1)) + "<Project/>").message,
            "line 8, column 1: junk after document element");
  EXPECT_EQ(refused(doc("<Task><UID>1</UID><Name>A &amp B</Name></Task>\n")).message,
            "line 5, column 31: not well-formed (invalid token)");
}

TEST(MspdiErrors, ADoctypeIsRefusedBeforeAnyEntityIsRead) {
  const std::string laughs =
      "<?xml version=\"1.0\"?>\n"
      "<!DOCTYPE Project [\n"
      "  <!ENTITY a \"aaaaaaaaaa\">\n"
      "  <!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n"
      "]>\n"
      "<Project xmlns=\"http://schemas.microsoft.com/project\"><Name>&b;</Name></Project>\n";
  Error e = refused(laughs);
  EXPECT_EQ(e.code, ErrorCode::kInvalid);
  EXPECT_TRUE(e.message.starts_with("line 2: a DOCTYPE declaration is not allowed")) << e.message;
  e = refused(
      "<?xml version=\"1.0\"?>\n<!DOCTYPE Project SYSTEM \"file:///etc/passwd\">\n"
      "<Project xmlns=\"http://schemas.microsoft.com/project\"/>\n");
  EXPECT_TRUE(e.message.starts_with("line 2: a DOCTYPE declaration is not allowed")) << e.message;
}

TEST(MspdiErrors, AFileThatIsNotMspdiSaysSo) {
  Error e = refused("<?xml version=\"1.0\"?>\n<html><body>Planning</body></html>\n");
  EXPECT_EQ(e.code, ErrorCode::kInvalid);
  EXPECT_EQ(e.message,
            "line 2: not an MS Project XML (MSPDI) file: the root element is 'html', where MSPDI "
            "has <Project xmlns=\"http://schemas.microsoft.com/project\">");
  e = refused("<Project xmlns=\"urn:example:gantt\"><Tasks/></Project>");
  EXPECT_EQ(e.message,
            "line 1: not an MS Project XML (MSPDI) file: the root element is 'Project' in the "
            "namespace 'urn:example:gantt', where MSPDI has <Project "
            "xmlns=\"http://schemas.microsoft.com/project\">");
}

TEST(MspdiErrors, ALinkToAnUnknownTask) {
  const Error e = refused(doc(task(1) + "<Task><UID>2</UID>\n" + link(9) + "</Task>\n"));
  EXPECT_EQ(e.code, ErrorCode::kInvalid);
  EXPECT_EQ(e.message, "line 7: task 2: predecessor UID 9 is not a task of this file");
}

TEST(MspdiErrors, TwoTasksWithOneUid) {
  const Error e = refused(doc(task(1) + task(2) + task(1)));
  EXPECT_EQ(e.message, "line 7: task 1: the UID is already used by the task on line 5");
}

TEST(MspdiErrors, BadAndNegativeDurations) {
  EXPECT_EQ(refused(doc(task(1) + task(12, "P3X"))).message,
            "line 6: task 12: Duration 'P3X' is not an ISO 8601 duration");
  EXPECT_EQ(refused(doc(task(1, "-PT8H0M0S"))).message,
            "line 5: task 1: Duration '-PT8H0M0S' is negative");
  EXPECT_EQ(refused(doc(task(1, "P1M"))).message,
            "line 5: task 1: Duration 'P1M' counts years or months, which have no fixed length");
  for (std::string_view bad : {"P", "PT", "8H", "PT8", "PTH", "PT8H8H", "PT8M8H", "P1DT", "PT.5H",
                               "PT1.H", "P1D1W", "PT1000000000H"}) {
    EXPECT_TRUE(contains(refused(doc(task(1, bad))).message, "is not an ISO 8601 duration")) << bad;
  }
  EXPECT_TRUE(contains(refused(doc(task(1, "PT80008H"))).message,
                       "line 5: task 1: Duration 'PT80008H' is more than 10000 working days"));
}

TEST(MspdiErrors, BadValuesNameTheirTask) {
  EXPECT_EQ(refused(doc(task(1, "PT8H", "<Start>28/04/2025</Start>"))).message,
            "line 5: task 1: Start '28/04/2025' is not a date");
  EXPECT_EQ(refused(doc(task(1, "PT8H", "<PercentComplete>150</PercentComplete>"))).message,
            "line 5: task 1: PercentComplete '150' is not a percentage from 0 to 100");
  EXPECT_EQ(refused(doc(task(1, "PT8H", "<ConstraintType>4</ConstraintType>"))).message,
            "line 5: task 1: the constraint 'start no earlier than' has no ConstraintDate");
  EXPECT_EQ(refused(doc(task(1) + task(2, "PT8H", link(1, 5)))).message,
            "line 6: task 2: link Type '5' is not 0 (FF), 1 (FS), 2 (SF) or 3 (SS)");
  EXPECT_EQ(refused(doc(task(1, "PT8H", link(1)))).message,
            "line 5: task 1: a task cannot be its own predecessor");
  EXPECT_EQ(refused(doc(task(1) + task(2, "PT8H", link(1) + link(1, 3)))).message,
            "line 6: task 2: a second link from task 1");
  EXPECT_EQ(refused(doc("<Task><Name>Sans UID</Name></Task>\n")).message,
            "line 5: a task has no UID");
  EXPECT_EQ(refused(doc(task(1), "<MinutesPerDay>0</MinutesPerDay>")).message,
            "line 3: MinutesPerDay '0' is not a number of minutes from 1 to 1440");
}

TEST(MspdiErrors, APercentageLagIsRefusedRatherThanGuessed) {
  const Error e = refused(doc(task(1) + task(2, "PT8H0M0S", link(1, 1, 500, 19))));
  EXPECT_EQ(e.message,
            "line 6: task 2: the link from task 1 has a lag in percent of the predecessor's "
            "duration, which Atelier cannot keep; give the lag in days in MS Project and export "
            "again");
}

TEST(MspdiErrors, AnOutlineLevelCannotSkipALevel) {
  const Error e =
      refused(doc(task(1) + "<Task><UID>2</UID><OutlineLevel>3</OutlineLevel></Task>\n"));
  EXPECT_EQ(e.message,
            "line 6: task 2: OutlineLevel 3 follows a task at level 1; a level can only go one "
            "deeper");
}

TEST(MspdiErrors, LimitsAreEnforced) {
  MspdiLimits limits;
  limits.max_tasks = 3;
  Error e = refused(dupont(), limits);
  EXPECT_EQ(e.code, ErrorCode::kInvalid);
  EXPECT_EQ(e.message, "line " + std::to_string(line_of(dupont(), "<Task>", 4)) +
                           ": more than 3 tasks, the most an import accepts");

  limits = {};
  limits.max_links = 2;
  e = refused(dupont(), limits);
  EXPECT_EQ(e.message, "line " + std::to_string(line_of(dupont(), "<PredecessorLink>", 3)) +
                           ": more than 2 links, the most an import accepts");

  limits = {};
  limits.max_bytes = 1000;
  e = refused(dupont(), limits);
  EXPECT_EQ(e.code, ErrorCode::kPayloadTooLarge);

  limits = {};
  limits.max_name_length = 10;
  e = refused(dupont(), limits);
  // "Gros œuvre" is ten characters (eleven bytes): the first name too long is the next one.
  EXPECT_EQ(e.message, "line " + std::to_string(line_of(dupont(), "<Name>Terrassement")) +
                           ": task 2: Name is longer than 10 characters");

  limits = {};
  limits.max_exception_days = 365;
  e = refused(doc(task(1), "",
                  calendar("<Exceptions>" +
                           exception("2025-01-01T00:00:00", "2026-01-01T23:59:00",
                                     "<DayWorking>0</DayWorking>") +
                           "</Exceptions>")),
              limits);
  EXPECT_EQ(e.message,
            "line 7: the project calendar's exceptions cover more than 365 days, the most an "
            "import accepts");
}

}  // namespace
}  // namespace atelier::tasks::domain
