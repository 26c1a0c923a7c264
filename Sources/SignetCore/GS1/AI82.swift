/// GS1 AI encodable character set 82: the characters allowed in lots and serials.
public enum AI82 {
    private static let table: [Bool] = {
        var table = [Bool](repeating: false, count: 128)
        let allowed = "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
        for byte in allowed.utf8 { table[Int(byte)] = true }
        return table
    }()

    public static func contains(_ byte: UInt8) -> Bool {
        byte < 128 && table[Int(byte)]
    }

    public static func isValid(_ value: some StringProtocol, maximumLength: Int = 20) -> Bool {
        let bytes = value.utf8
        return !bytes.isEmpty && bytes.count <= maximumLength && bytes.allSatisfy(contains)
    }
}
