#include "atelier/core/metrics.hpp"

#include <gtest/gtest.h>

namespace atelier::metrics {
namespace {

TEST(Metrics, HistogramIsCumulativeWithSumAndCount) {
  Histogram h({0.1, 1.0});
  h.observe(0.05);
  h.observe(0.5);
  h.observe(0.5);
  h.observe(3.0);
  std::string out;
  h.write(out, "lat", "route=\"/x\"");
  EXPECT_NE(out.find("lat_bucket{route=\"/x\",le=\"0.1\"} 1\n"), std::string::npos) << out;
  EXPECT_NE(out.find("lat_bucket{route=\"/x\",le=\"1\"} 3\n"), std::string::npos) << out;
  EXPECT_NE(out.find("lat_bucket{route=\"/x\",le=\"+Inf\"} 4\n"), std::string::npos) << out;
  EXPECT_NE(out.find("lat_sum{route=\"/x\"} 4.05\n"), std::string::npos) << out;
  EXPECT_NE(out.find("lat_count{route=\"/x\"} 4\n"), std::string::npos) << out;
}

TEST(Metrics, RegistryRendersCollectorsUntilRemoved) {
  Registry registry;
  Counter c;
  c.inc(3);
  const uint64_t id = registry.add([&](std::string& out) {
    write_header(out, "jobs_total", "Jobs done.", "counter");
    write_sample(out, "jobs_total", "", static_cast<double>(c.value()));
  });
  EXPECT_EQ(registry.render(),
            "# HELP jobs_total Jobs done.\n# TYPE jobs_total counter\njobs_total 3\n");
  registry.remove(id);
  EXPECT_EQ(registry.render(), "");
}

TEST(Metrics, LabelValuesAreEscaped) {
  EXPECT_EQ(label_value("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
}

}  // namespace
}  // namespace atelier::metrics
