import Foundation
import SignetAPI
import SignetCore

/// A shop's till: check a voucher, use it once (scope `vouchers:use`).
extension APIHandler {
    func getVoucher(_ input: Operations.GetVoucher.Input) async throws -> Operations.GetVoucher.Output {
        let client = try APIClientScope.require(.vouchersUse)
        let code = try Self.voucherCode(input.path.code)
        guard let voucher = try await redemptions.voucher(brandID: client.brandID, code: code) else {
            throw APIProblem.notFound("No voucher \(code).")
        }
        return .ok(.init(body: .json(try await render(voucher))))
    }

    func useVoucher(_ input: Operations.UseVoucher.Input) async throws -> Operations.UseVoucher.Output {
        let client = try APIClientScope.require(.vouchersUse)
        let code = try Self.voucherCode(input.path.code)
        var shop: String?
        if case .json(let body) = input.body, let given = body.shop?.trimmingCharacters(in: .whitespacesAndNewlines), !given.isEmpty {
            guard given.count <= 200 else { throw APIProblem.validation([.init(field: "shop", message: "at most 200 characters")]) }
            shop = given
        }
        let who = "key \(client.name)" + (shop.map { " at \($0)" } ?? "")
        switch try await redemptions.use(brandID: client.brandID, code: code, by: who) {
        case .notFound:
            throw APIProblem.notFound("No voucher \(code).")
        case .used(let voucher):
            return .ok(.init(body: .json(try await render(voucher))))
        case .alreadyUsed(let voucher):
            let when = voucher.usedAt.map { ISO8601DateFormatter().string(from: $0) } ?? "before"
            throw APIProblem.conflict("Voucher \(code) was already used at \(when) by \(voucher.usedBy ?? "someone"); do not accept it.")
        case .cancelled:
            throw APIProblem.conflict("Voucher \(code) was cancelled and its points refunded; do not accept it.")
        }
    }

    private static func voucherCode(_ text: String) throws -> VoucherCode {
        guard let code = VoucherCode(reading: text) else {
            throw APIProblem.notFound("No voucher \(text): a code has 12 letters and digits.")
        }
        return code
    }

    func render(_ voucher: RedemptionStore.Redemption) async throws -> Components.Schemas.Voucher {
        let reward = try await rewards.reward(brandID: voucher.brandID, id: voucher.rewardID)
        return .init(
            id: voucher.id,
            code: voucher.code.description,
            status: .init(rawValue: voucher.status.rawValue) ?? .issued,
            rewardId: voucher.rewardID,
            rewardName: reward.map { $0.text(in: $0.defaultLanguage).name } ?? "",
            points: voucher.points,
            issuedAt: voucher.createdAt,
            usedAt: voucher.usedAt,
            usedBy: voucher.usedBy)
    }
}
