import Crypto
import SignetCore
import Testing

@Suite("Seal check codes")
struct SealCheckCodeTests {
    static let key = SymmetricKey(data: Array(repeating: UInt8(7), count: 32))
    static let gtin = GTIN("03760123450003")!

    @Test("8 characters of an alphabet without I, L, O or U, fixed for a seal and different between seals")
    func shape() {
        let code = SealCheckCode.make(gtin: Self.gtin, serial: "H00001", key: Self.key)
        #expect(code.count == 8)
        #expect(code.allSatisfy { "0123456789ABCDEFGHJKMNPQRSTVWXYZ".contains($0) })
        #expect(code == SealCheckCode.make(gtin: Self.gtin, serial: "H00001", key: Self.key))
        let codes = Set((1...2000).map { SealCheckCode.make(gtin: Self.gtin, serial: "H\($0)", key: Self.key) })
        #expect(codes.count == 2000)
        #expect(SealCheckCode.display("7K3MQ9XD") == "7K3M-Q9XD")
    }

    @Test("typed in any case, with spaces or hyphens, O for 0 and I or L for 1; anything else is not a code")
    func typing() {
        #expect(SealCheckCode.normalized("7k3m-q9xd") == "7K3MQ9XD")
        #expect(SealCheckCode.normalized(" o1l2 iabc ") == "01121ABC")
        for bad in ["", "7K3MQ9X", "7K3MQ9XDA", "7K3M Q9XU", "7K3M_Q9XD", "７K3MQ9XD"] {
            #expect(SealCheckCode.normalized(bad) == nil, "\(bad)")
        }
        let code = SealCheckCode.make(gtin: Self.gtin, serial: "H00001", key: Self.key)
        #expect(SealCheckCode.isValid(code, gtin: Self.gtin, serial: "H00001", key: Self.key))
        #expect(!SealCheckCode.isValid(code, gtin: Self.gtin, serial: "H00002", key: Self.key))
        #expect(!SealCheckCode.isValid(code, gtin: Self.gtin, serial: "H00001", key: SymmetricKey(size: .bits256)))
    }
}
