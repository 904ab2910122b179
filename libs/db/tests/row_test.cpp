#include <gtest/gtest.h>

#include <stdexcept>

#include "atelier/db/database.hpp"

namespace atelier::db {
namespace {

Row make_row(std::vector<std::string> names, std::vector<Value> values) {
  return Row(std::make_shared<const std::vector<std::string>>(std::move(names)), std::move(values));
}

TEST(Row, AddressesColumnsByIndexOrName) {
  const Row row = make_row({"id", "name"}, {int64_t{7}, std::string("lot A")});
  EXPECT_EQ(row.size(), 2u);
  EXPECT_EQ(row.index("name"), 1u);
  EXPECT_EQ(row.get_int(0), 7);
  EXPECT_EQ(row.get_text("name"), "lot A");
  EXPECT_THROW((void)row.index("missing"), std::out_of_range);
  EXPECT_THROW((void)row.at(5), std::out_of_range);
}

TEST(Row, ReadsIntegersWrittenAsText) {
  // What PostgreSQL numeric or a driver's text result can hand back.
  const Row row =
      make_row({"n", "bad", "d"}, {std::string("-9223372036854775808"), std::string("12abc"), 2.5});
  EXPECT_EQ(row.get_int("n"), std::numeric_limits<int64_t>::min());
  EXPECT_THROW((void)row.get_int("bad"), std::logic_error);
  EXPECT_THROW((void)row.get_int("d"), std::logic_error);
  EXPECT_EQ(row.get_double("d"), 2.5);
}

TEST(Row, DoublesAcceptIntegers) {
  const Row row = make_row({"n", "t"}, {int64_t{3}, std::string("0.25")});
  EXPECT_EQ(row.get_double("n"), 3.0);
  EXPECT_EQ(row.get_double("t"), 0.25);
}

TEST(Row, BooleansFromEitherEngine) {
  const Row row = make_row({"a", "b", "c", "d", "e", "f", "g"},
                           {int64_t{1}, int64_t{0}, std::string("t"), std::string("f"),
                            std::string("true"), std::string("false"), int64_t{2}});
  EXPECT_TRUE(row.get_bool("a"));
  EXPECT_FALSE(row.get_bool("b"));
  EXPECT_TRUE(row.get_bool("c"));
  EXPECT_FALSE(row.get_bool("d"));
  EXPECT_TRUE(row.get_bool("e"));
  EXPECT_FALSE(row.get_bool("f"));
  EXPECT_THROW((void)row.get_bool("g"), std::logic_error);
}

TEST(Row, NullIsOnlyReadableAsOptional) {
  const Row row = make_row({"x"}, {nullptr});
  EXPECT_TRUE(row.is_null(0));
  EXPECT_EQ(row.get_opt_int(0), std::nullopt);
  EXPECT_EQ(row.get_opt_text("x"), std::nullopt);
  try {
    (void)row.get_int(0);
    FAIL() << "expected std::logic_error";
  } catch (const std::logic_error& e) {
    EXPECT_NE(std::string(e.what()).find("column 0 (x)"), std::string::npos) << e.what();
  }
  EXPECT_THROW((void)row.get_double(0), std::logic_error);
  EXPECT_THROW((void)row.get_bool(0), std::logic_error);
  EXPECT_THROW((void)row.get_text(0), std::logic_error);
  EXPECT_THROW((void)row.get_bytes(0), std::logic_error);
}

TEST(Row, WrongTypesThrow) {
  const Row row = make_row({"t", "b"}, {std::string("text"), Bytes{1, 2}});
  EXPECT_THROW((void)row.get_bytes("t"), std::logic_error);
  EXPECT_THROW((void)row.get_text("b"), std::logic_error);
  EXPECT_EQ(row.get_bytes("b"), (Bytes{1, 2}));
  EXPECT_EQ(row.get_opt_text("t"), "text");
}

TEST(ToValue, MapsCppTypesToColumnValues) {
  EXPECT_EQ(to_value(true), Value(int64_t{1}));
  EXPECT_EQ(to_value(false), Value(int64_t{0}));
  EXPECT_EQ(to_value(42), Value(int64_t{42}));
  EXPECT_EQ(to_value("x"), Value(std::string("x")));
  EXPECT_EQ(to_value(std::optional<int>()), Value(nullptr));
  EXPECT_EQ(to_value(std::optional<std::string>("y")), Value(std::string("y")));
}

}  // namespace
}  // namespace atelier::db
