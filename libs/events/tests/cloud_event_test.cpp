#include "atelier/events/cloud_event.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "atelier/core/log.hpp"

namespace atelier::events {
namespace {

TEST(CloudEvent, SerialisesTheRequiredAttributesAndDataAsJson) {
  const ManualClock clock(TimePoint{std::chrono::seconds(1'764'000'000)});
  const auto e = CloudEvent::make("/services/projects", "projects.ProjectCreated.v1", "p-1",
                                  "org-1", R"({"name":"Résidence Les Tilleuls"})", clock);
  const auto o = boost::json::parse(e.to_json()).as_object();
  EXPECT_EQ(o.at("specversion").as_string(), "1.0");
  EXPECT_EQ(o.at("id").as_string(), e.id);
  EXPECT_EQ(o.at("type").as_string(), "projects.ProjectCreated.v1");
  EXPECT_EQ(o.at("source").as_string(), "/services/projects");
  EXPECT_EQ(o.at("subject").as_string(), "p-1");
  EXPECT_EQ(o.at("orgid").as_string(), "org-1");
  EXPECT_EQ(o.at("time").as_string(), "2025-11-24T16:00:00.000000Z");
  EXPECT_EQ(o.at("data").as_object().at("name").as_string(), "Résidence Les Tilleuls");
  EXPECT_EQ(e.producer(), "projects");
}

TEST(CloudEvent, RoundTripsThroughJson) {
  auto e = CloudEvent::make("/services/tasks", "tasks.TaskCreated.v1", "", "org-2",
                            R"({"a":[1,2,{"b":null}]})");
  auto back = CloudEvent::from_json(e.to_json());
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->id, e.id);
  EXPECT_EQ(back->time, e.time);
  EXPECT_EQ(back->org_id, "org-2");
  EXPECT_EQ(boost::json::parse(back->data), boost::json::parse(e.data));
}

TEST(CloudEvent, CarriesTheTraceOfTheRequestThatMadeIt) {
  const std::string trace = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  log::RequestScope scope("r-1", trace);
  EXPECT_EQ(CloudEvent::make("/s", "s.X.v1", "", "o", "{}").traceparent, trace);
}

TEST(CloudEvent, RejectsMalformedEnvelopes) {
  for (
      const char* bad :
      {"", "[]", "not json", R"({"specversion":"0.3","id":"1","source":"/s","type":"t"})",
       R"({"specversion":"1.0","source":"/s","type":"t"})",
       R"({"specversion":"1.0","id":"","source":"/s","type":"t"})",
       R"({"specversion":"1.0","id":"1","source":"/s","type":"t","time":"yesterday"})",
       R"({"specversion":"1.0","id":"1","source":"/s","type":"t","datacontenttype":"text/xml"})"}) {
    EXPECT_FALSE(CloudEvent::from_json(bad)) << bad;
  }
}

}  // namespace
}  // namespace atelier::events
