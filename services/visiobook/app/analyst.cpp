#include "visiobook/app/analyst.hpp"

namespace atelier::visiobook::app {

namespace {

class ClassicalAnalyst final : public Analyst {
 public:
  Result<analysis::Analysis> analyse(const domain::Book& book) override {
    return analysis::analyse(book, analysis_options());
  }
};

}  // namespace

analysis::Options analysis_options() {
  return analysis::Options{};
}

std::unique_ptr<Analyst> make_classical_analyst() {
  return std::make_unique<ClassicalAnalyst>();
}

}  // namespace atelier::visiobook::app
