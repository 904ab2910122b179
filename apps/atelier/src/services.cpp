#include "services.hpp"

#include "documents/adapters/routes.hpp"
#include "identity/adapters/routes.hpp"
#include "projects/adapters/routes.hpp"
#include "tasks/adapters/routes.hpp"
#include "visiobook/adapters/documents_library.hpp"
#include "visiobook/adapters/routes.hpp"

std::vector<atelier::db::MigrationFile> atelier_documents_migrations();  // generated
std::vector<atelier::db::MigrationFile> atelier_identity_migrations();   // generated
std::vector<atelier::db::MigrationFile> atelier_projects_migrations();   // generated
std::vector<atelier::db::MigrationFile> atelier_tasks_migrations();      // generated
std::vector<atelier::db::MigrationFile> atelier_visiobook_migrations();  // generated

namespace atelier::app {

const std::vector<ServiceModule>& known_services() {
  static const std::vector<ServiceModule> services = {
      {"identity", atelier_identity_migrations,
       [](ServiceContext& context) -> Result<std::shared_ptr<void>> {
         auto secrets = identity::IdentityService::load_secrets(context.config);
         if (!secrets) {
           return std::move(secrets).error();
         }
         identity::IdentityService::Options options;
         options.secrets = std::move(secrets).value();
         auto service = identity::IdentityService::create(context.config, context.db, options);
         if (!service) {
           return std::move(service).error();
         }
         (*service)->add_routes(context.router);
         context.authenticator = &(*service)->authenticator();
         return std::shared_ptr<void>(std::move(service).value());
       }},
      {"projects", atelier_projects_migrations,
       [](ServiceContext& context) -> Result<std::shared_ptr<void>> {
         events::Relay& relay = context.relay;
         auto service = projects::ProjectsService::create(
             context.db,
             projects::ProjectsService::Options{.clock = &SystemClock::instance(),
                                                .events_written = [&relay] { relay.notify(); }});
         service->add_routes(context.router);
         return std::shared_ptr<void>(std::move(service));
       }},
      {"tasks", atelier_tasks_migrations,
       [](ServiceContext& context) -> Result<std::shared_ptr<void>> {
         events::Relay& relay = context.relay;
         tasks::TasksService::Options options;
         options.events_written = [&relay] { relay.notify(); };
         options.quiet_period = context.config.schedule_quiet_period;
         auto service = tasks::TasksService::create(context.db, std::move(options));
         if (!service) {
           return std::move(service).error();
         }
         (*service)->subscribe(context.bus);
         (*service)->add_routes(context.router);
         return std::shared_ptr<void>(std::move(service).value());
       }},
      {"documents", atelier_documents_migrations,
       [](ServiceContext& context) -> Result<std::shared_ptr<void>> {
         events::Relay& relay = context.relay;
         documents::DocumentsService::Options options;
         options.data_dir = context.config.data_dir;
         options.quota_bytes = context.config.documents_quota_bytes;
         options.max_upload_bytes = context.config.documents_max_upload_bytes;
         options.retention = context.config.documents_retention;
         options.events_written = [&relay] { relay.notify(); };
         auto service = documents::DocumentsService::create(context.db, std::move(options));
         if (!service) {
           return std::move(service).error();
         }
         (*service)->subscribe(context.bus);
         (*service)->add_routes(context.router);
         return std::shared_ptr<void>(std::move(service).value());
       }},
      {"visiobook", atelier_visiobook_migrations,
       [](ServiceContext& context) -> Result<std::shared_ptr<void>> {
         events::Relay& relay = context.relay;
         visiobook::VisioBookService::Options options;
         options.data_dir = context.config.data_dir;
         options.max_source_bytes = context.config.visiobook_max_source_bytes;
         options.workers = static_cast<int>(context.config.visiobook_workers);
         options.video_fps = static_cast<int>(context.config.visiobook_video_fps);
         options.video_preset = context.config.visiobook_video_preset;
         options.chat_url = context.config.visiobook_chat_url;
         options.chat_model = context.config.visiobook_chat_model;
         options.images_url = context.config.visiobook_images_url;
         options.images_model = context.config.visiobook_images_model;
         options.speech_url = context.config.visiobook_speech_url;
         options.speech_model = context.config.visiobook_speech_model;
         options.speech_voice = context.config.visiobook_speech_voice;
         options.api_key = context.config.visiobook_api_key;
         options.events_written = [&relay] { relay.notify(); };
         // Sources from documents and exports to them, when documents runs in this process.
         if (auto documents = context.started.find("documents");
             documents != context.started.end()) {
           options.library = visiobook::adapters::make_documents_library(
               std::static_pointer_cast<documents::DocumentsService>(documents->second));
         }
         auto service = visiobook::VisioBookService::create(context.db, std::move(options));
         if (!service) {
           return std::move(service).error();
         }
         (*service)->add_routes(context.router);
         return std::shared_ptr<void>(std::move(service).value());
       }},
  };
  return services;
}

}  // namespace atelier::app
