# atelier_embed_migrations(<target> <function> <dir>): compiles every *.sql file of <dir> into
# <target> as `std::vector<atelier::db::MigrationFile> <function>()`, so a deployed binary carries
# its schema and `atelier migrate` needs no source tree. Re-runs when a file changes.
function(atelier_embed_migrations target function dir)
  file(GLOB sql_files CONFIGURE_DEPENDS "${dir}/*.sql")
  list(SORT sql_files)
  set(out "${CMAKE_CURRENT_BINARY_DIR}/${function}.cpp")
  set(body "")
  foreach(f ${sql_files})
    get_filename_component(name "${f}" NAME)
    file(READ "${f}" sql)
    string(APPEND body "      {\"${name}\", R\"atelier_sql(${sql})atelier_sql\"},\n")
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${f}")
  endforeach()
  file(CONFIGURE OUTPUT "${out}" CONTENT
"// Generated from ${dir} by atelier_embed_migrations; do not edit.
#include \"atelier/db/migrations.hpp\"

std::vector<atelier::db::MigrationFile> ${function}() {
  return {
${body}  };
}
" @ONLY)
  target_sources(${target} PRIVATE "${out}")
endfunction()
