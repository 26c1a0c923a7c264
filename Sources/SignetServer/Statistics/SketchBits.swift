import NIOCore
import PostgresNIO
import SignetCore

/// A HyperLogLog sketch sent to PostgreSQL as the `bit(16384)` it is stored
/// as, in the binary wire format (`varbit_send`: the bit count, then the
/// bytes), so the server can hand PostgreSQL finished sketches.
struct SketchBits: PostgresNonThrowingEncodable, PostgresArrayEncodable {
    static var psqlType: PostgresDataType { .bit }
    static var psqlArrayType: PostgresDataType { .bitArray }
    static var psqlFormat: PostgresFormat { .binary }

    let sketch: HyperLogLog

    func encode<JSONEncoder: PostgresJSONEncoder>(into byteBuffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        byteBuffer.writeInteger(Int32(HyperLogLog.byteCount * 8))
        byteBuffer.writeBytes(sketch.bytes)
    }
}
