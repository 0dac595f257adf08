/*
 * LuceneBench.java — Lucene 8, the third peer of `make bench`.
 *
 *   java -cp WORK:LUCENE_JARS LuceneBench index CORPUS.jsonl.gz OUTDIR [--lang en|de]
 *   java -cp WORK:LUCENE_JARS LuceneBench query OUTDIR QUERIES.tsv
 *
 * What a plain Lucene user writes, on Debian's liblucene8-java: whole
 * documents, EnglishAnalyzer (GermanAnalyzer for --lang de) on the fields
 * title and text (TextField: stored, with positions), the id as a stored
 * StringField, BM25Similarity with its defaults, IndexWriter's defaults
 * otherwise; queries through the classic QueryParser (default field text,
 * default OR), the top 10 (IndexSearcher.search) with one snippet each from
 * the UnifiedHighlighter on the stored text.  The language is kept in the
 * commit's user data.
 *
 * query: reads the `lucene` column of QUERIES.tsv (columns class, dicta,
 * xapian, fts5, lucene), runs every query WARMUP times (environment,
 * default 1) as a warm-up, then RUNS times (default 3), and prints one line
 * per query and pass:
 *     pass <TAB> query number <TAB> class <TAB> microseconds <TAB> results
 * microseconds is -1 for a query the engine refused (reason on stderr).
 *
 * Compiled at bench time by bench/bench.sh (javac, no build tool).
 * Copyright (C) 2026 the dicta developers.  GPL-2.0-or-later.
 */
import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.de.GermanAnalyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.search.uhighlight.UnifiedHighlighter;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

public class LuceneBench {
	static Analyzer analyzer(String lang) {
		return "de".equals(lang) ? new GermanAnalyzer() : new EnglishAnalyzer();
	}

	// ------------------------------------------------------------ JSON
	// The corpora are JSON Lines of flat objects; this reads any JSON value
	// and keeps the top-level strings.
	static final class Json {
		final String s;
		int i;

		Json(String s) { this.s = s; }

		void ws() {
			while (i < s.length() && Character.isWhitespace(s.charAt(i)))
				i++;
		}

		Object value() {
			ws();
			char c = s.charAt(i);
			if (c == '"')
				return string();
			if (c == '{') {
				Map<String, Object> m = new HashMap<>();
				i++;
				ws();
				if (s.charAt(i) == '}') { i++; return m; }
				for (;;) {
					ws();
					String k = string();
					ws();
					i++; // ':'
					m.put(k, value());
					ws();
					if (s.charAt(i++) == '}')
						return m;
				}
			}
			if (c == '[') {
				List<Object> l = new ArrayList<>();
				i++;
				ws();
				if (s.charAt(i) == ']') { i++; return l; }
				for (;;) {
					l.add(value());
					ws();
					if (s.charAt(i++) == ']')
						return l;
				}
			}
			int start = i; // number, true, false, null
			while (i < s.length() && ",}] \t\r\n".indexOf(s.charAt(i)) < 0)
				i++;
			return s.substring(start, i);
		}

		String string() {
			StringBuilder b = new StringBuilder();
			i++; // opening quote
			for (;;) {
				char c = s.charAt(i++);
				if (c == '"')
					return b.toString();
				if (c != '\\') { b.append(c); continue; }
				char e = s.charAt(i++);
				switch (e) {
				case 'n': b.append('\n'); break;
				case 't': b.append('\t'); break;
				case 'r': b.append('\r'); break;
				case 'b': b.append('\b'); break;
				case 'f': b.append('\f'); break;
				case 'u': b.append((char) Integer.parseInt(s.substring(i, i + 4), 16)); i += 4; break;
				default: b.append(e); // " \ /
				}
			}
		}
	}

	static String str(Map<?, ?> m, String k) {
		Object v = m.get(k);
		return v instanceof String ? (String) v : "";
	}

	// ------------------------------------------------------------ index
	static void index(String corpus, String outdir, String lang) throws IOException {
		Path out = Paths.get(outdir);
		if (Files.exists(out))
			try (Stream<Path> w = Files.walk(out)) {
				w.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
			}
		IndexWriterConfig cfg = new IndexWriterConfig(analyzer(lang));
		cfg.setSimilarity(new BM25Similarity());
		cfg.setOpenMode(IndexWriterConfig.OpenMode.CREATE);
		long n = 0;
		try (Directory dir = FSDirectory.open(out);
		     IndexWriter w = new IndexWriter(dir, cfg);
		     BufferedReader r = new BufferedReader(new InputStreamReader(
			     new GZIPInputStream(new FileInputStream(corpus), 1 << 16), StandardCharsets.UTF_8))) {
			String line;
			while ((line = r.readLine()) != null) {
				if (line.isBlank())
					continue;
				Map<?, ?> d = (Map<?, ?>) new Json(line).value();
				Document doc = new Document();
				doc.add(new StringField("id", d.containsKey("id") ? str(d, "id") : Long.toString(n), Field.Store.YES));
				doc.add(new TextField("title", str(d, "title"), Field.Store.YES));
				doc.add(new TextField("text", str(d, "text"), Field.Store.YES));
				w.addDocument(doc);
				n++;
			}
			w.setLiveCommitData(Map.of("bench-lang", lang).entrySet());
			w.commit();
		}
		System.err.println("LuceneBench: indexed " + n + " documents");
	}

	// ------------------------------------------------------------ query
	static void query(String outdir, String qpath) throws Exception {
		int runs = Integer.parseInt(System.getenv().getOrDefault("RUNS", "3"));
		List<String> classes = new ArrayList<>(), queries = new ArrayList<>();
		try (BufferedReader r = Files.newBufferedReader(Paths.get(qpath), StandardCharsets.UTF_8)) {
			String[] head = r.readLine().split("\t");
			int col = java.util.Arrays.asList(head).indexOf("lucene");
			String line;
			while ((line = r.readLine()) != null) {
				if (line.isBlank())
					continue;
				String[] f = line.split("\t", -1);
				classes.add(f[0]);
				queries.add(f[col]);
			}
		}
		try (Directory dir = FSDirectory.open(Paths.get(outdir));
		     DirectoryReader reader = DirectoryReader.open(dir)) {
			String lang = reader.getIndexCommit().getUserData().getOrDefault("bench-lang", "en");
			Analyzer an = analyzer(lang);
			IndexSearcher searcher = new IndexSearcher(reader);
			searcher.setSimilarity(new BM25Similarity());
			UnifiedHighlighter hl = new UnifiedHighlighter(searcher, an);
			Set<Integer> refused = new HashSet<>();
			PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, "UTF-8");
			long sink = 0;
			int warm = Integer.parseInt(System.getenv().getOrDefault("WARMUP", "1"));
			for (int p = 1 - warm; p <= runs; p++) { // passes up to 0 are the warm-up
				for (int i = 0; i < queries.size(); i++) {
					long t0 = System.nanoTime();
					int n = 0;
					boolean ok = true;
					try {
						QueryParser qp = new QueryParser("text", an);
						Query q = qp.parse(queries.get(i));
						TopDocs top = searcher.search(q, 10);
						n = top.scoreDocs.length;
						String[] snip = hl.highlight("text", q, top);
						for (ScoreDoc sd : top.scoreDocs)
							sink += searcher.doc(sd.doc).get("id").length();
						for (String s : snip)
							sink += s == null ? 0 : s.length();
					} catch (Exception e) {
						ok = false;
						if (refused.add(i))
							System.err.println("LuceneBench: query " + (i + 1) + " '" + queries.get(i) + "': " + e);
					}
					long t1 = System.nanoTime();
					if (p > 0)
						out.printf("%d\t%d\t%s\t%.1f\t%d%n", p, i + 1, classes.get(i), ok ? (t1 - t0) / 1000.0 : -1.0, n);
				}
			}
			out.flush();
			if (sink == 42)
				System.err.println();
		}
	}

	public static void main(String[] a) throws Exception {
		if (a.length >= 3 && a[0].equals("index")) {
			String lang = a.length == 5 && a[3].equals("--lang") ? a[4] : "en";
			index(a[1], a[2], lang);
		} else if (a.length == 3 && a[0].equals("query")) {
			query(a[1], a[2]);
		} else {
			System.err.println("usage: LuceneBench index CORPUS.jsonl.gz OUTDIR [--lang en|de]\n"
				+ "       LuceneBench query OUTDIR QUERIES.tsv");
			System.exit(2);
		}
	}
}
