import Crypto
import CryptoExtras
import Foundation

/// The AES-128 operations NFC seals need, on byte arrays, from swift-crypto's
/// CryptoExtras (never hand-written AES or CMAC).
enum AES128 {
    static let blockSize = 16

    /// AES-CMAC (RFC 4493), all 16 bytes; throws for a key that is not an AES key.
    static func cmac(key: [UInt8], _ message: [UInt8]) throws -> [UInt8] {
        var mac = try AES.CMAC(key: SymmetricKey(data: key))
        mac.update(data: message)
        return Array(mac.finalize())
    }

    /// AES-128-CBC decryption without padding; `ciphertext` is whole blocks.
    static func decryptCBC(key: [UInt8], iv: [UInt8] = zeroBlock, _ ciphertext: [UInt8]) -> [UInt8]? {
        guard ciphertext.count % blockSize == 0, !ciphertext.isEmpty,
              let iv = try? AES._CBC.IV(ivBytes: iv),
              let plaintext = try? AES._CBC.decrypt(ciphertext, using: SymmetricKey(data: key), iv: iv, noPadding: true)
        else { return nil }
        return Array(plaintext)
    }

    /// One block through the cipher (ECB), as CBC of one block from a zero IV.
    static func encryptBlock(key: [UInt8], _ block: [UInt8]) throws -> [UInt8] {
        let iv = try AES._CBC.IV(ivBytes: zeroBlock)
        return Array(try AES._CBC.encrypt(block, using: SymmetricKey(data: key), iv: iv, noPadding: true))
    }

    /// AES-128-CBC encryption without padding; `plaintext` is whole blocks.
    static func encryptCBC(key: [UInt8], iv: [UInt8] = zeroBlock, _ plaintext: [UInt8]) throws -> [UInt8] {
        Array(try AES._CBC.encrypt(plaintext, using: SymmetricKey(data: key), iv: try AES._CBC.IV(ivBytes: iv), noPadding: true))
    }

    static let zeroBlock = [UInt8](repeating: 0, count: blockSize)
}
