# Third-party libraries, all from Debian bookworm packages (scripts/deps.sh installs them).

set(Boost_NO_WARN_NEW_VERSIONS ON)
find_package(Boost 1.81.0 EXACT CONFIG REQUIRED COMPONENTS json url system)
find_package(Threads REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(PostgreSQL REQUIRED)
find_package(OpenSSL 3 REQUIRED)
find_package(EXPAT REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
# libs/ocr: Tesseract 5 and Leptonica for images, poppler's C++ binding for PDFs.
pkg_check_modules(TESSERACT REQUIRED IMPORTED_TARGET tesseract>=5)
pkg_check_modules(LEPTONICA REQUIRED IMPORTED_TARGET lept)
pkg_check_modules(POPPLER_CPP REQUIRED IMPORTED_TARGET poppler-cpp)
# services/visiobook: EPUB archives and ICU's sentence and word breaking.
pkg_check_modules(LIBZIP REQUIRED IMPORTED_TARGET libzip)
pkg_check_modules(ICU REQUIRED IMPORTED_TARGET icu-uc icu-i18n)
# libs/media: panels and storyboard PDFs (cairo), narration (espeak-ng), MP4 (FFmpeg libraries).
pkg_check_modules(CAIRO REQUIRED IMPORTED_TARGET cairo cairo-pdf cairo-png)
pkg_check_modules(ESPEAK_NG REQUIRED IMPORTED_TARGET espeak-ng)
pkg_check_modules(FFMPEG REQUIRED IMPORTED_TARGET libavcodec libavformat libavutil libswscale
                  libswresample)
if(ATELIER_TESTS)
  find_package(GTest REQUIRED)
endif()
if(ATELIER_BENCH)
  find_package(benchmark REQUIRED)
endif()
