#include "services.hpp"

namespace atelier::app {

const std::vector<ServiceModule>& known_services() {
  // The bounded contexts (identity, projects, tasks, documents, ...) register here as they land.
  static const std::vector<ServiceModule> services;
  return services;
}

}  // namespace atelier::app
