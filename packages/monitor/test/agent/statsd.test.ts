import { describe, expect, it } from "vitest";
import { StatsdAggregator, parseStatsd, parseStatsdLine } from "../../src/agent/statsd.js";

describe("statsd", () => {
  it("parses counters, gauges, timers, histograms and sets", () => {
    expect(parseStatsdLine("gorets:1|c")).toEqual({ name: "gorets", type: "c", value: 1, rate: 1 });
    expect(parseStatsdLine("gorets:1|c|@0.1")).toEqual({ name: "gorets", type: "c", value: 1, rate: 0.1 });
    expect(parseStatsdLine("glork:320|ms")).toEqual({ name: "glork", type: "ms", value: 320, rate: 1 });
    expect(parseStatsdLine("gaugor:333|g")).toEqual({ name: "gaugor", type: "g", value: 333, rate: 1 });
    expect(parseStatsdLine("gaugor:-10|g")).toEqual({ name: "gaugor", type: "g", value: -10, rate: 1, relative: true });
    expect(parseStatsdLine("uniques:765|s")).toEqual({ name: "uniques", type: "s", value: "765", rate: 1 });
    expect(parseStatsdLine("lat:1.5|h|#env:prod")).toEqual({ name: "lat", type: "h", value: 1.5, rate: 1 });
  });

  it("rejects malformed lines and counts them per datagram", () => {
    for (const bad of [
      "",
      "novalue",
      ":1|c",
      "a:1",
      "a:1|x",
      "a:abc|c",
      "a:1|c|@2",
      "a:1|c|@0",
      "a:1|c|junk",
      "a b:1|c",
      "a:|c",
      "a:1e999|g",
    ]) {
      expect(parseStatsdLine(bad), bad).toBeNull();
    }
    expect(parseStatsd("a:1|c\nbroken\n\nb:2|g\n")).toEqual({
      metrics: [
        { name: "a", type: "c", value: 1, rate: 1 },
        { name: "b", type: "g", value: 2, rate: 1 },
      ],
      malformed: 1,
    });
  });

  it("aggregates one flush interval as statsd does", () => {
    const agg = new StatsdAggregator();
    const add = (packet: string): void => parseStatsd(packet).metrics.forEach((m) => agg.add(m));
    add(
      "hits:1|c\nhits:2|c\nsampled:1|c|@0.5\ntemp:20|g\ntemp:+5|g\nlat:10|ms\nlat:20|ms\nlat:60|ms\nusers:a|s\nusers:b|s\nusers:a|s",
    );
    const stats = agg.flush(1000);
    const value = (name: string): number | undefined => stats.find((s) => s.name === name)?.value;
    expect(value("hits")).toBe(3);
    expect(value("sampled")).toBe(2);
    expect(value("temp")).toBe(25);
    expect(value("lat.count")).toBe(3);
    expect(value("lat.min")).toBe(10);
    expect(value("lat.max")).toBe(60);
    expect(value("lat.mean")).toBe(30);
    expect(value("users")).toBe(2);
    expect(stats.every((s) => s.time === 1000)).toBe(true);

    // Only what arrived is flushed; gauges remember their value for relative updates.
    expect(agg.flush()).toEqual([]);
    add("temp:-5|g");
    expect(agg.flush(2000)).toEqual([{ name: "temp", value: 20, time: 2000, kind: "gauge" }]);
  });

  it("bounds the names of one interval", () => {
    const agg = new StatsdAggregator(2);
    expect(agg.add({ name: "a", type: "c", value: 1, rate: 1 })).toBe(true);
    expect(agg.add({ name: "b", type: "c", value: 1, rate: 1 })).toBe(true);
    expect(agg.add({ name: "c", type: "c", value: 1, rate: 1 })).toBe(false);
    expect(agg.add({ name: "a", type: "c", value: 1, rate: 1 })).toBe(true);
  });
});
