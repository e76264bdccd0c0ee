import Foundation
import Core

/// Key/value settings (worker tuning, user preferences) and the editable model price table.
public struct SettingsRepository {
    let db: Database
    public init(_ db: Database) { self.db = db }

    public func get(_ key: String) throws -> JSONValue? {
        try db.queryOne("SELECT value FROM settings WHERE key = ?", .text(key))?.optJSON("value")
    }

    public func set(_ key: String, _ value: JSONValue) throws {
        try db.execute("""
            INSERT INTO settings (key, value) VALUES (?, ?)
            ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = \(db.dialect.now)
            """, .text(key), .text(value.jsonString))
    }

    public func all() throws -> [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        for r in try db.query("SELECT key, value FROM settings") { out[r.string("key")] = r.json("value") }
        return out
    }

    public func delete(_ key: String) throws { try db.execute("DELETE FROM settings WHERE key = ?", .text(key)) }

    public func priceTable() throws -> PriceTable {
        var prices: [String: ModelPrice] = [:]
        for r in try db.query("""
            SELECT model, input_per_mtok, output_per_mtok, cache_write_per_mtok, cache_read_per_mtok, input_above_200k_per_mtok,
                output_above_200k_per_mtok, cache_write_above_200k_per_mtok, cache_read_above_200k_per_mtok FROM model_prices
            """) {
            prices[r.string("model")] = ModelPrice(input: r.double("input_per_mtok"), output: r.double("output_per_mtok"),
                                                   cacheWrite: r.double("cache_write_per_mtok"), cacheRead: r.double("cache_read_per_mtok"),
                                                   inputAbove200k: r.optDouble("input_above_200k_per_mtok"),
                                                   outputAbove200k: r.optDouble("output_above_200k_per_mtok"),
                                                   cacheWriteAbove200k: r.optDouble("cache_write_above_200k_per_mtok"),
                                                   cacheReadAbove200k: r.optDouble("cache_read_above_200k_per_mtok"))
        }
        return PriceTable(prices: prices)
    }

    public func setPrice(model: String, _ p: ModelPrice) throws {
        try db.execute("""
            INSERT INTO model_prices (model, input_per_mtok, output_per_mtok, cache_write_per_mtok, cache_read_per_mtok,
                input_above_200k_per_mtok, output_above_200k_per_mtok, cache_write_above_200k_per_mtok, cache_read_above_200k_per_mtok)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (model) DO UPDATE SET input_per_mtok = excluded.input_per_mtok, output_per_mtok = excluded.output_per_mtok,
                cache_write_per_mtok = excluded.cache_write_per_mtok, cache_read_per_mtok = excluded.cache_read_per_mtok,
                input_above_200k_per_mtok = excluded.input_above_200k_per_mtok, output_above_200k_per_mtok = excluded.output_above_200k_per_mtok,
                cache_write_above_200k_per_mtok = excluded.cache_write_above_200k_per_mtok,
                cache_read_above_200k_per_mtok = excluded.cache_read_above_200k_per_mtok, updated_at = \(db.dialect.now)
            """, .text(model), .double(p.input), .double(p.output), .double(p.cacheWrite), .double(p.cacheRead), .optional(p.inputAbove200k),
                       .optional(p.outputAbove200k), .optional(p.cacheWriteAbove200k), .optional(p.cacheReadAbove200k))
    }
}
