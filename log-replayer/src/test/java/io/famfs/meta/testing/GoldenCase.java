package io.famfs.meta.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** One case under ../shared/golden: its case.json and its image (see golden/README.md). */
public final class GoldenCase {
    /** Every case; a test over all cases iterates this list. */
    public static final List<String> ALL = List.of("a1-basic", "a2-full-log", "a3-nested");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final Path dir;
    private final JsonNode json;

    private GoldenCase(String name, Path dir, JsonNode json) {
        this.name = name;
        this.dir = dir;
        this.json = json;
    }

    public static GoldenCase load(String name) {
        Path dir = SharedData.golden().resolve(name);
        try {
            return new GoldenCase(
                    name, dir, JSON.readTree(dir.resolve("case.json").toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir.resolve("case.json"), e);
        }
    }

    public String name() {
        return name;
    }

    public Path dir() {
        return dir;
    }

    /** The parsed case.json. */
    public JsonNode json() {
        return json;
    }

    public long deviceSize() {
        return json.get("device_size").asLong();
    }

    public long logLen() {
        return json.get("log_len").asLong();
    }

    /** The uncompressed image bytes: [0, 2 MiB + log_len). */
    public byte[] imageBytes() {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(dir.resolve(name + ".img.gz")))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A device holding the image, extended sparsely to the case's device size. */
    public TestDevice device() {
        TestDevice d = TestDevice.create(0);
        try (InputStream in = new GZIPInputStream(Files.newInputStream(dir.resolve(name + ".img.gz")));
                OutputStream out = Files.newOutputStream(d.path())) {
            in.transferTo(out);
        } catch (IOException e) {
            d.close();
            throw new UncheckedIOException(e);
        }
        try (RandomAccessFile f = new RandomAccessFile(d.path().toFile(), "rw")) {
            f.setLength(deviceSize());
        } catch (IOException e) {
            d.close();
            throw new UncheckedIOException(e);
        }
        return d;
    }

    /** famfs's output file, e.g. {@code fsck.txt}. */
    public Path famfsOutput(String file) {
        return dir.resolve("famfs-output").resolve(file);
    }
}
