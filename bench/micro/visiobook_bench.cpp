// VisioBook: what each step of turning a book into a narrated video costs on this machine.
// - ingestion + analysis of the fixture books, in ms per page (a page = 2,000 characters of the
//   text file) and words per second, CPU time;
// - one storyboard panel at 1280x720 in each style (three figures, a title, a two-line caption),
//   CPU time;
// - narration with espeak-ng, French and English, ~100 words: seconds of audio per second of CPU
//   and of wall time (the real-time factor);
// - the MP4 writer on 6 panels x 5 s = 30 s of 1280x720 at 25 fps (x264 veryfast, crf 23, AAC
//   128 kb/s narration), seconds of video per second of wall time, against the `ffmpeg` command
//   encoding the same PNG panels and the same WAV narration with the same settings in the same
//   run (see docs/performance.md for what each side does).
#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "atelier/media/narration.hpp"
#include "atelier/media/panel.hpp"
#include "atelier/media/video.hpp"
#include "visiobook/domain/analysis/analysis.hpp"
#include "visiobook/domain/ingest/ingest.hpp"

namespace {

using namespace atelier;
namespace vb = atelier::visiobook;

constexpr double kCharsPerPage = 2000;
constexpr int kShots = 6;
constexpr double kShotSeconds = 5;
constexpr double kVideoSeconds = kShots * kShotSeconds;
constexpr int kFps = 25;

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// Code points of UTF-8 text: every byte that is not a continuation byte.
std::size_t characters(std::string_view text) {
  std::size_t n = 0;
  for (const char c : text) {
    n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  }
  return n;
}

double seconds_of(const timeval& t) {
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
}

// User + system CPU seconds of this process (all its threads) or of its waited-for children.
double cpu_seconds(int who) {
  rusage usage{};
  getrusage(who, &usage);
  return seconds_of(usage.ru_utime) + seconds_of(usage.ru_stime);
}

// CPU seconds of the calling thread (what Google Benchmark reports as CPU time).
double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

// --- Ingestion and analysis ----------------------------------------------------------------------

void run_book(benchmark::State& state, const char* file, bool analyse) {
  const std::string bytes = read_file(std::filesystem::path(VISIOBOOK_BOOKS) / file);
  if (bytes.empty()) {
    state.SkipWithError("cannot read the book");
    return;
  }
  const double pages = static_cast<double>(characters(bytes)) / kCharsPerPage;
  std::size_t words = 0;
  const double cpu_before = thread_cpu_seconds();
  for (auto _ : state) {
    auto book = vb::ingest::read_text(bytes);
    if (!book) {
      state.SkipWithError(book.error().message.c_str());
      return;
    }
    if (analyse) {
      auto analysis = vb::analysis::analyse(*book);
      words = analysis.words;
      benchmark::DoNotOptimize(analysis);
    }
    benchmark::DoNotOptimize(book);
  }
  const double cpu = thread_cpu_seconds() - cpu_before;
  const auto iterations = static_cast<double>(state.iterations());
  state.counters["pages"] = pages;
  state.counters["ms_per_page"] = 1000 * cpu / (iterations * pages);
  if (analyse) {
    state.counters["words_per_s"] =
        benchmark::Counter(iterations * static_cast<double>(words), benchmark::Counter::kIsRate);
  }
}

void BM_IngestAnalyse(benchmark::State& state, const char* file) {
  run_book(state, file, true);
}
void BM_IngestOnly(benchmark::State& state, const char* file) {
  run_book(state, file, false);
}
BENCHMARK_CAPTURE(BM_IngestAnalyse, alice_en, "alice_en.txt")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_IngestAnalyse, call_of_the_wild_en, "call_of_the_wild_en.txt")
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_IngestAnalyse, sarrasine_fr, "sarrasine_fr.txt")
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_IngestAnalyse, la_morte_amoureuse_fr, "la_morte_amoureuse_fr.txt")
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_IngestOnly, alice_en, "alice_en.txt")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_IngestOnly, call_of_the_wild_en, "call_of_the_wild_en.txt")
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_IngestOnly, sarrasine_fr, "sarrasine_fr.txt")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_IngestOnly, la_morte_amoureuse_fr, "la_morte_amoureuse_fr.txt")
    ->Unit(benchmark::kMillisecond);

// --- Panels
// ----------------------------------------------------------------------------------------

constexpr std::array<media::Setting, 6> kSettings{
    media::Setting::kStreet,   media::Setting::kForest,      media::Setting::kSea,
    media::Setting::kInterior, media::Setting::kCountryside, media::Setting::kMountain};

media::PanelSpec panel(media::PanelStyle style, std::size_t i) {
  media::PanelSpec spec;
  spec.width = 1280;
  spec.height = 720;
  spec.style = style;
  spec.setting = kSettings[i % kSettings.size()];
  spec.time = i % 3 == 1 ? media::TimeOfDay::kDusk : media::TimeOfDay::kDay;
  spec.primary = {0.8, 0.3, 0.2};
  spec.secondary = {0.2, 0.4, 0.7};
  spec.figures = {{"Alice", {0.2, 0.4, 0.8}, 0.8, true},
                  {"le Lapin blanc", {0.9, 0.9, 0.9}, 0.5, false},
                  {"la Reine", {0.8, 0.1, 0.2}, 1.0, false}};
  spec.title = "Chapitre " + std::to_string(i + 1) + " — scène 1";
  spec.caption =
      "Alice suit le Lapin blanc jusqu’au terrier, puis tombe longtemps, très longtemps, en se "
      "demandant si elle traversera la Terre tout entière.";
  spec.seed = static_cast<uint32_t>(i + 1);
  return spec;
}

// One panel per iteration, cycling through the six kinds of place.
void BM_RenderPanel(benchmark::State& state, media::PanelStyle style) {
  std::size_t i = 0;
  for (auto _ : state) {
    auto image = media::render_panel(panel(style, i++));
    if (!image) {
      state.SkipWithError(image.error().message.c_str());
      return;
    }
    benchmark::DoNotOptimize(image);
  }
}
BENCHMARK_CAPTURE(BM_RenderPanel, sketch, media::PanelStyle::kSketch)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_RenderPanel, comic, media::PanelStyle::kComic)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_RenderPanel, noir, media::PanelStyle::kNoir)->Unit(benchmark::kMillisecond);

void BM_EncodePng(benchmark::State& state) {
  auto image = media::render_panel(panel(media::PanelStyle::kComic, 0));
  if (!image) {
    state.SkipWithError(image.error().message.c_str());
    return;
  }
  for (auto _ : state) {
    auto png = media::encode_png(*image);
    benchmark::DoNotOptimize(png);
  }
}
BENCHMARK(BM_EncodePng)->Unit(benchmark::kMillisecond);

// --- Narration
// -------------------------------------------------------------------------------------

// About 100 words each.
constexpr const char* kEnglish =
    "The dog had never seen snow before that winter. He stood at the edge of the camp, his nose "
    "lifted to the cold wind, and listened to the men arguing by the fire. One of them wanted to "
    "start at dawn; the other swore the river would not hold their weight for another week. "
    "Nobody asked the dog. When the sledge finally moved, he pulled with the others, head low, "
    "paws breaking through the crust, and by nightfall he had learnt more about hunger, patience "
    "and the law of the trail than in all the easy years before.";
constexpr const char* kFrench =
    "Minuit venait de sonner quand je quittai le salon pour la fenêtre. Le jardin, à demi couvert "
    "de neige, se détachait à peine du ciel gris, et les arbres ressemblaient à des fantômes mal "
    "enveloppés de leurs linceuls. Derrière moi, la fête continuait : les femmes riaient, les "
    "hommes jouaient gros jeu, et l’or brillait sur les tables comme une promesse. Je pensais à "
    "cette étrange famille dont personne ne connaissait l’origine, à ce vieillard que l’on "
    "cachait dans une chambre du fond, et je me demandais quelle histoire, ce soir-là, allait "
    "enfin m’être racontée.";

media::Narrator* narrator() {
  static auto opened = media::Narrator::open();
  return opened ? opened->get() : nullptr;
}

void BM_Narrate(benchmark::State& state, const char* language, const char* text) {
  media::Narrator* n = narrator();
  if (n == nullptr) {
    state.SkipWithError("espeak-ng is not available");
    return;
  }
  media::Voice voice;
  voice.language = language;
  double audio_seconds = 0;
  double wall_seconds = 0;
  const double cpu_before = thread_cpu_seconds();
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    auto audio = n->speak(text, voice);
    wall_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!audio) {
      state.SkipWithError(audio.error().message.c_str());
      return;
    }
    audio_seconds += audio->seconds();
  }
  state.counters["audio_s"] = audio_seconds / static_cast<double>(state.iterations());
  // Seconds of audio per second of CPU time of this thread and per second of wall time.
  const double cpu = thread_cpu_seconds() - cpu_before;
  state.counters["rtf_cpu"] = cpu > 0 ? audio_seconds / cpu : 0;
  state.counters["rtf_wall"] = wall_seconds > 0 ? audio_seconds / wall_seconds : 0;
}
BENCHMARK_CAPTURE(BM_Narrate, en, "en", kEnglish)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Narrate, fr, "fr", kFrench)->Unit(benchmark::kMillisecond);

// --- Video
// -----------------------------------------------------------------------------------------

void put(std::ofstream& out, uint32_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) {
    out.put(static_cast<char>((value >> (8 * i)) & 0xFF));
  }
}

// 16-bit mono PCM WAV.
void write_wav(const std::filesystem::path& path, const media::Audio& audio) {
  std::ofstream out(path, std::ios::binary);
  const auto data = static_cast<uint32_t>(audio.samples.size() * 2);
  const auto rate = static_cast<uint32_t>(audio.sample_rate);
  out.write("RIFF", 4);
  put(out, 36 + data, 4);
  out.write("WAVEfmt ", 8);
  put(out, 16, 4);
  put(out, 1, 2);  // PCM
  put(out, 1, 2);  // mono
  put(out, rate, 4);
  put(out, rate * 2, 4);
  put(out, 2, 2);
  put(out, 16, 2);
  out.write("data", 4);
  put(out, data, 4);
  for (const int16_t s : audio.samples) {
    put(out, static_cast<uint16_t>(s), 2);
  }
}

// The video's inputs, made once: six panels (the three styles in turn, six kinds of place) as
// images and PNG files, and the French narration cut to 30 s as samples and a WAV file.
struct Footage {
  std::filesystem::path dir;
  std::vector<media::Image> images;
  std::vector<std::string> pngs;
  media::Audio narration;
  std::string wav;
  std::string error;

  Footage() {
    dir = std::filesystem::temp_directory_path() /
          ("atelier-visiobook-bench-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    constexpr std::array<media::PanelStyle, 3> styles{
        media::PanelStyle::kSketch, media::PanelStyle::kComic, media::PanelStyle::kNoir};
    for (std::size_t i = 0; i < kShots; ++i) {
      auto image = media::render_panel(panel(styles[i % styles.size()], i));
      auto png = image ? media::encode_png(*image) : Result<std::string>(image.error());
      if (!png) {
        error = png.error().message;
        return;
      }
      images.push_back(std::move(image).value());
      pngs.push_back((dir / ("panel-" + std::to_string(i) + ".png")).string());
      std::ofstream(pngs.back(), std::ios::binary) << *png;
    }
    media::Narrator* n = narrator();
    if (n == nullptr) {
      error = "espeak-ng is not available";
      return;
    }
    auto audio = n->speak(std::string(kFrench) + " " + kFrench, media::Voice{});
    if (!audio) {
      error = audio.error().message;
      return;
    }
    narration = std::move(audio).value();
    const auto max_samples = static_cast<std::size_t>(kVideoSeconds * narration.sample_rate);
    if (narration.samples.size() > max_samples) {
      narration.samples.resize(max_samples);
    }
    wav = (dir / "narration.wav").string();
    write_wav(wav, narration);
  }
  ~Footage() { std::filesystem::remove_all(dir); }
};

const Footage& footage() {
  static const Footage f;
  return f;
}

// Facts of the file each side wrote, read back the same way, so that the table can show both
// made 30 s of H.264 + AAC of about the same size.
void report(benchmark::State& state, const std::string& path, double cpu) {
  const auto iterations = static_cast<double>(state.iterations());
  auto info = media::probe(path);
  const double seconds = info ? info->duration_seconds : 0;
  if (!info || info->video_codec != "h264" || info->audio_codec != "aac") {
    state.SkipWithError("the MP4 is not H.264 + AAC");
  }
  std::error_code ec;
  state.counters["video_s"] = seconds;
  state.counters["MB"] = static_cast<double>(std::filesystem::file_size(path, ec)) / 1e6;
  state.counters["rtf"] = benchmark::Counter(iterations * seconds, benchmark::Counter::kIsRate);
  state.counters["cpu_s_per_video_s"] = seconds > 0 ? cpu / (iterations * seconds) : 0;
}

// The library: every frame drawn with cairo from the panel, converted with swscale, x264 + AAC.
// Arg 1: its default Ken Burns zoom (1.08) and 0.5 s cross-fades. Arg 0: zoom 1 and no fade, so
// every frame is the panel itself: the very frames the still `ffmpeg` reference encodes.
void BM_WriteMp4(benchmark::State& state) {
  const Footage& f = footage();
  if (!f.error.empty()) {
    state.SkipWithError(f.error.c_str());
    return;
  }
  const bool moving = state.range(0) != 0;
  std::vector<media::Shot> shots;
  std::vector<media::Chapter> chapters;
  for (std::size_t i = 0; i < f.images.size(); ++i) {
    shots.push_back({&f.images[i], kShotSeconds, ""});
    chapters.push_back({"Scène " + std::to_string(i + 1), static_cast<double>(i) * kShotSeconds});
  }
  media::VideoOptions options;
  options.fps = kFps;
  options.preset = "veryfast";
  options.crf = 23;
  if (!moving) {
    options.zoom = 1.0;
    options.crossfade_seconds = 0;
  }
  const std::string path =
      (f.dir / (moving ? "library-kenburns.mp4" : "library-still.mp4")).string();
  const double cpu_before = cpu_seconds(RUSAGE_SELF);
  for (auto _ : state) {
    if (auto written = media::write_mp4(path, shots, f.narration, chapters, options); !written) {
      state.SkipWithError(written.error().message.c_str());
      return;
    }
  }
  report(state, path, cpu_seconds(RUSAGE_SELF) - cpu_before);
}

// The `ffmpeg` command on the same PNG panels and WAV, the same size, rate, GOP (2 s), x264 preset
// and crf, AAC 128 kb/s at 48 kHz stereo, padded with silence to 30 s, faststart; x264 threads
// left to their default on both sides. Arg 0: each PNG decoded once and its frame repeated for
// 5 s (`loop` filter): the same still frames as the library's Arg 0. Arg 1: each PNG through
// zoompan to 1.08 about the library's anchors (the nearest ffmpeg filter to its Ken Burns; no
// cross-fade). Arg 2: like 0 but as usually scripted, `-loop 1 -t 5` inputs, which decode the PNG
// again for every frame.
void BM_FfmpegCommand(benchmark::State& state) {
  const Footage& f = footage();
  if (!f.error.empty()) {
    state.SkipWithError(f.error.c_str());
    return;
  }
  const auto mode = state.range(0);
  static constexpr std::array<std::array<double, 2>, 5> kAnchors{
      {{0.5, 0.8}, {0.42, 0.76}, {0.58, 0.84}, {0.45, 0.78}, {0.55, 0.82}}};
  const int frames = static_cast<int>(kShotSeconds * kFps);
  const std::string path = (f.dir / ("ffmpeg-" + std::to_string(mode) + ".mp4")).string();
  std::string command = "ffmpeg -nostdin -hide_banner -loglevel error -y";
  std::string graph;
  for (std::size_t i = 0; i < f.pngs.size(); ++i) {
    if (mode == 1) {
      command += " -i '" + f.pngs[i] + "'";
      const auto& a = kAnchors[i % kAnchors.size()];
      graph += "[" + std::to_string(i) + ":v]zoompan=z='1+0.08*on/" + std::to_string(frames - 1) +
               "':x='iw*" + std::to_string(a[0]) + "*(1-1/zoom)':y='ih*" + std::to_string(a[1]) +
               "*(1-1/zoom)':d=" + std::to_string(frames) +
               ":s=1280x720:fps=" + std::to_string(kFps) + "[v" + std::to_string(i) + "];";
    } else if (mode == 2) {
      command += " -framerate " + std::to_string(kFps) + " -loop 1 -t " +
                 std::to_string(static_cast<int>(kShotSeconds)) + " -i '" + f.pngs[i] + "'";
      graph += "[" + std::to_string(i) + ":v]null[v" + std::to_string(i) + "];";
    } else {
      command += " -framerate " + std::to_string(kFps) + " -i '" + f.pngs[i] + "'";
      graph += "[" + std::to_string(i) + ":v]loop=loop=" + std::to_string(frames - 1) +
               ":size=1,setpts=N/" + std::to_string(kFps) + "/TB[v" + std::to_string(i) + "];";
    }
  }
  command += " -i '" + f.wav + "'";
  for (std::size_t i = 0; i < f.pngs.size(); ++i) {
    graph += "[v" + std::to_string(i) + "]";
  }
  graph += "concat=n=" + std::to_string(f.pngs.size()) + ":v=1:a=0,format=yuv420p[v];[" +
           std::to_string(f.pngs.size()) + ":a]apad[a]";
  command += " -filter_complex \"" + graph + "\" -map '[v]' -map '[a]' -t " +
             std::to_string(static_cast<int>(kVideoSeconds)) + " -r " + std::to_string(kFps) +
             " -c:v libx264 -preset veryfast -crf 23 -g " + std::to_string(2 * kFps) +
             " -c:a aac -b:a 128k -ar 48000 -ac 2 -movflags +faststart '" + path + "'";
  const double cpu_before = cpu_seconds(RUSAGE_CHILDREN);
  for (auto _ : state) {
    if (std::system(command.c_str()) != 0) {
      state.SkipWithError("ffmpeg failed");
      return;
    }
  }
  report(state, path, cpu_seconds(RUSAGE_CHILDREN) - cpu_before);
}

// Each library run next to its reference, the still pair first.
BENCHMARK(BM_FfmpegCommand)->Arg(0)->Iterations(2)->UseRealTime()->Unit(benchmark::kSecond);
BENCHMARK(BM_WriteMp4)->Arg(0)->Iterations(2)->UseRealTime()->Unit(benchmark::kSecond);
BENCHMARK(BM_FfmpegCommand)->Arg(2)->Iterations(2)->UseRealTime()->Unit(benchmark::kSecond);
BENCHMARK(BM_FfmpegCommand)->Arg(1)->Iterations(2)->UseRealTime()->Unit(benchmark::kSecond);
BENCHMARK(BM_WriteMp4)->Arg(1)->Iterations(2)->UseRealTime()->Unit(benchmark::kSecond);

}  // namespace

BENCHMARK_MAIN();
