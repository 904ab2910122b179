// The port the pipeline and the analysis endpoints analyse a book through. The classical analyst
// (domain/analysis: deterministic, offline) is the default; adapters/chat_analyst.cpp asks an
// OpenAI-compatible chat endpoint for the scenes' summaries and tone on top of it.
#pragma once

#include <memory>

#include "atelier/core/error.hpp"
#include "visiobook/domain/analysis/analysis.hpp"
#include "visiobook/domain/book.hpp"

namespace atelier::visiobook::app {

class Analyst {
 public:
  virtual ~Analyst() = default;
  // The book's analysis; an Error when an external analyst fails (unreachable, malformed answer).
  virtual Result<analysis::Analysis> analyse(const domain::Book& book) = 0;
};

// The analysis options the classical analysis runs with, in the pipeline and the endpoints.
analysis::Options analysis_options();

// analysis::analyse with analysis_options(): never fails, never leaves the process.
std::unique_ptr<Analyst> make_classical_analyst();

}  // namespace atelier::visiobook::app
