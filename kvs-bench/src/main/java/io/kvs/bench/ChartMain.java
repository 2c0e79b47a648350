package io.kvs.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code kvs-bench chart [--input F] [--output F]}: bar charts of every benchmark present in a JMH
 * JSON result file (default {@code kvs-bench/target/jmh-result.json}), a series for every engine
 * in it (kvs, xodus and any peers), saved as one PNG (default {@code docs/benchmarks.png}).
 */
public final class ChartMain {

    private ChartMain() {
    }

    /** One JMH result row. */
    private record Row(String benchmark, Map<String, String> params, double score, String unit) {
        String method() {
            return benchmark.substring(benchmark.lastIndexOf('.') + 1);
        }
    }

    public static void main(String[] args) throws IOException {
        Path input = Path.of(BenchMain.DEFAULT_RESULT_FILE);
        Path output = Path.of("docs/benchmarks.png");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--input" -> input = Path.of(args[++i]);
                case "--output" -> output = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        List<Row> rows = read(input);
        List<Chart<?, ?>> charts = new ArrayList<>();
        addByParam(charts, rows, "set_bench", "set_bench: 4,095 sets into a new store", null, "engine");
        addByParam(charts, rows, "get_bench", "get_bench: one random get", "keys", "engine");
        Set<String> concurrentEngines = concurrentEngines(rows);
        addConcurrent(charts, rows, concurrentEngines);
        if (rows.stream().anyMatch(r -> r.method().equals("read_t2") && !concurrentEngines.contains(r.params().get("engine")))) {
            addByParam(charts, rows, "read_t2", "read_t2: random gets from 2 threads (2^16 keys)", null, "engine");
        }
        addByParam(charts, rows, "set_1k", "set_1k: one 1 KiB overwrite among 2^16 keys", null, "engine");
        addByParam(charts, rows, "open", "open: a store of 1,000,000 keys", null, "engine");
        addByParam(charts, rows, "batch_100", "batch_100: one atomic batch of 100 sets (2^16 keys)", null, "engine");
        addByParam(charts, rows, "increment", "increment: one atomic read-modify-write", null, "engine");
        addByParam(charts, rows, "scan_64k", "scan_64k: every key of a store of 2^16", null, "engine");
        addByParam(charts, rows, "set_with_expiry", "set_with_expiry: one set with an expiry (2^16 keys)", null, "engine");
        addByParam(charts, rows, "set_plain", "set_plain: the same set without expiry", null, "engine");
        if (charts.isEmpty()) {
            throw new IllegalArgumentException("no known benchmarks in " + input);
        }
        int columns = 2;
        int rowsOfCharts = (charts.size() + columns - 1) / columns;
        while (charts.size() < rowsOfCharts * columns) {
            // An empty cell of the grid: a chart with one invisible bar.
            CategoryChart blank = new CategoryChartBuilder().width(640).height(400).title(" ").build();
            blank.getStyler().setLegendVisible(false);
            blank.getStyler().setAxisTicksVisible(false);
            blank.getStyler().setChartTitleBoxVisible(false);
            blank.addSeries(" ", List.of(" "), List.of(1.0)).setFillColor(java.awt.Color.WHITE);
            charts.add(blank);
        }
        if (output.getParent() != null) {
            Files.createDirectories(output.getParent());
        }
        BitmapEncoder.saveBitmap(charts, rowsOfCharts, columns, output.toString(), BitmapEncoder.BitmapFormat.PNG);
        System.out.println("wrote " + output + " (" + rows.size() + " results)");
    }

    private static List<Row> read(Path input) throws IOException {
        List<Row> rows = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(input, StandardCharsets.UTF_8)) {
            JsonArray results = JsonParser.parseReader(reader).getAsJsonArray();
            for (JsonElement element : results) {
                JsonObject result = element.getAsJsonObject();
                Map<String, String> params = new LinkedHashMap<>();
                if (result.has("params")) {
                    for (Map.Entry<String, JsonElement> param : result.getAsJsonObject("params").entrySet()) {
                        params.put(param.getKey(), param.getValue().getAsString());
                    }
                }
                JsonObject metric = result.getAsJsonObject("primaryMetric");
                rows.add(new Row(result.get("benchmark").getAsString(), params,
                        metric.get("score").getAsDouble(), metric.get("scoreUnit").getAsString()));
            }
        }
        return rows;
    }

    /** One chart for {@code method}: categories by {@code categoryParam} (or one), a series per {@code seriesParam}. */
    private static void addByParam(List<Chart<?, ?>> charts, List<Row> rows, String method, String title,
                                   String categoryParam, String seriesParam) {
        List<Row> selected = rows.stream().filter(r -> r.method().equals(method)).toList();
        if (selected.isEmpty()) {
            return;
        }
        Map<String, Map<String, Double>> series = new LinkedHashMap<>();
        for (Row row : selected) {
            String category = categoryParam == null ? method : categoryParam + "=" + row.params().get(categoryParam);
            series.computeIfAbsent(row.params().get(seriesParam), k -> new LinkedHashMap<>()).put(category, row.score());
        }
        charts.add(chart(title, selected.get(0).unit(), series));
    }

    /**
     * The engines measured by a {@code ConcurrentBenchmark} method other than {@code read_t2}:
     * the concurrent chart's. Those measured only at {@code read_t2} (the peers, by default) get
     * a chart of their own, beside kvs and xodus.
     */
    private static Set<String> concurrentEngines(List<Row> rows) {
        return rows.stream()
                .filter(r -> r.benchmark().contains("ConcurrentBenchmark") && !r.method().equals("read_t2"))
                .map(r -> r.params().get("engine"))
                .collect(Collectors.toSet());
    }

    /** Reads, writes and the 9:1 mix by thread count, a series per engine and kind, for {@code engines}. */
    private static void addConcurrent(List<Chart<?, ?>> charts, List<Row> rows, Set<String> engines) {
        List<Row> selected = rows.stream()
                .filter(r -> r.benchmark().contains("ConcurrentBenchmark") && engines.contains(r.params().get("engine")))
                .toList();
        if (selected.isEmpty()) {
            return;
        }
        Map<String, Map<String, Double>> series = new LinkedHashMap<>();
        for (Row row : selected) {
            String[] parts = row.method().split("_t");
            series.computeIfAbsent(row.params().get("engine") + " " + parts[0], k -> new LinkedHashMap<>())
                    .put(parts[1] + (parts[1].equals("1") ? " thread" : " threads"), row.score());
        }
        charts.add(chart("reads and writes from several threads (2^16 keys)", selected.get(0).unit(), series));
    }

    /** One color per store in every chart, whichever stores a chart shows. */
    private static final Map<String, java.awt.Color> ENGINE_COLORS = Map.of(
            "kvs", new java.awt.Color(0x2f6fdf),
            "xodus", new java.awt.Color(0xf2a93b),
            "chronicle-map", new java.awt.Color(0x9b59d0),
            "lmdb", new java.awt.Color(0x3cb44b),
            "rocksdb", new java.awt.Color(0xd94040),
            "mapdb", new java.awt.Color(0xe6d03c),
            "h2", new java.awt.Color(0xe84fd8));

    private static CategoryChart chart(String title, String unit, Map<String, Map<String, Double>> series) {
        CategoryChart chart = new CategoryChartBuilder().width(640).height(400).title(title)
                .yAxisTitle(unit).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setChartTitleFont(chart.getStyler().getChartTitleFont().deriveFont(13f));
        List<String> categories = new ArrayList<>();
        series.values().forEach(m -> m.keySet().forEach(c -> {
            if (!categories.contains(c)) {
                categories.add(c);
            }
        }));
        double smallest = Double.MAX_VALUE;
        for (Map.Entry<String, Map<String, Double>> entry : series.entrySet()) {
            List<Double> values = new ArrayList<>();
            for (String category : categories) {
                double value = entry.getValue().getOrDefault(category, Double.NaN);
                values.add(value);
                if (value > 0) {
                    smallest = Math.min(smallest, value);
                }
            }
            java.awt.Color color = ENGINE_COLORS.get(entry.getKey());
            org.knowm.xchart.CategorySeries added = chart.addSeries(entry.getKey(), categories, values);
            if (color != null) {
                added.setFillColor(color);
            }
        }
        // Bars start at the axis minimum, which a logarithmic axis needs above zero.
        chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(smallest))));
        return chart;
    }
}
