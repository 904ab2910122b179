// atelier: runs the platform (`serve`), applies database migrations (`migrate`), and reports its
// version and settings.
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "atelier/core/config.hpp"
#include "atelier/core/log.hpp"
#include "platform.hpp"
#include "version.hpp"

namespace {

using atelier::Config;
using atelier::Result;

constexpr std::string_view kUsage = R"(usage: atelier <command> [options]

commands:
  serve     run the platform (all services by default) and serve HTTP
  migrate   apply pending database migrations and exit
  version   print the version
  help      this text; `atelier help config` lists every setting

options (serve, migrate):
  --config FILE         read settings from FILE (key = value lines)
  --services a,b|all    run only these services
  --listen HOST:PORT    address to listen on (default 127.0.0.1:8080)

Settings come from defaults, then --config, then ATELIER_* environment variables, then options.
)";

struct Command {
  std::string name;
  std::optional<std::filesystem::path> config_file;
  std::vector<std::pair<std::string, std::string>> overrides;  // from --services, --listen
};

Result<Command> parse_args(int argc, char** argv) {
  Command cmd;
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    return atelier::Error::bad_request("missing command");
  }
  cmd.name = args[0];
  for (size_t i = 1; i < args.size(); ++i) {
    std::string arg = args[i];
    std::string value;
    const size_t eq = arg.find('=');
    if (eq != std::string::npos) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
    } else if (arg.rfind("--", 0) == 0) {
      if (i + 1 >= args.size()) {
        return atelier::Error::bad_request(arg + " needs a value");
      }
      value = args[++i];
    }
    if (arg == "--config") {
      cmd.config_file = value;
    } else if (arg == "--services") {
      cmd.overrides.emplace_back("services", value);
    } else if (arg == "--listen") {
      cmd.overrides.emplace_back("listen", value);
    } else if (cmd.name == "help" && arg == "config") {
      cmd.name = "help-config";
    } else {
      return atelier::Error::bad_request("unknown option '" + args[i] + "'");
    }
  }
  return cmd;
}

Result<Config> load_config(const Command& cmd) {
  auto config = Config::load(cmd.config_file, Config::process_env());
  if (!config) {
    return config;
  }
  for (const auto& [key, value] : cmd.overrides) {
    if (auto r = config->set(key, value); !r) {
      return atelier::Error::invalid("--" + r.error().message);
    }
  }
  return config;
}

int fail(std::string_view message) {
  std::fprintf(stderr, "atelier: %.*s\n", static_cast<int>(message.size()), message.data());
  return 2;
}

int run(const Command& cmd) {
  auto config = load_config(cmd);
  if (!config) {
    return fail(config.error().message);
  }
  atelier::log::init({.min_level = config->log_level});
  auto platform = atelier::app::Platform::open(*config);
  if (!platform) {
    return fail(platform.error().message);
  }
  if (auto r = (*platform)->migrate(); !r) {
    return fail("migration failed: " + r.error().message);
  }
  if (cmd.name == "migrate") {
    atelier::log::shutdown();
    return 0;
  }
  if (auto r = (*platform)->start(); !r) {
    return fail(r.error().message);
  }
  // The one line meant for a person, on stdout; everything else is JSON on stderr.
  std::cout << "Atelier is listening on " << (*platform)->url() << "/" << std::endl;
  (*platform)->run_until_signal();
  atelier::log::shutdown();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  auto cmd = parse_args(argc, argv);
  if (!cmd) {
    std::fprintf(stderr, "atelier: %s\n\n%s", cmd.error().message.c_str(), kUsage.data());
    return 2;
  }
  if (cmd->name == "version") {
    std::cout << "atelier " << atelier::app::kVersion << "\n";
    return 0;
  }
  if (cmd->name == "help" || cmd->name == "--help" || cmd->name == "-h") {
    std::cout << kUsage;
    return 0;
  }
  if (cmd->name == "help-config") {
    for (const auto& [key, description] : Config::describe()) {
      std::cout << "  " << key << "\n      " << description << "\n";
    }
    return 0;
  }
  if (cmd->name == "serve" || cmd->name == "migrate") {
    return run(*cmd);
  }
  std::fprintf(stderr, "atelier: unknown command '%s'\n\n%s", cmd->name.c_str(), kUsage.data());
  return 2;
}
