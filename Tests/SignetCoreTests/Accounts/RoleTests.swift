import SignetCore
import Testing

@Suite("Roles")
struct RoleTests {
    @Test("shops only use vouchers; viewers only read; editors also run the catalogue, seals, alerts, loyalty, the supply chain and vouchers; owners do everything", arguments: BrandAction.allCases)
    func matrix(action: BrandAction) {
        let expected: [Role: Bool] = switch action {
        case .read: [.shop: false, .viewer: true, .editor: true, .owner: true]
        case .useVouchers: [.shop: true, .viewer: false, .editor: true, .owner: true]
        case .editCatalogue, .manageSeals, .handleAlerts, .manageLoyalty, .recordTrace: [.shop: false, .viewer: false, .editor: true, .owner: true]
        case .manageUsers, .manageAPIKeys, .manageBrand, .readAuditLog: [.shop: false, .viewer: false, .editor: false, .owner: true]
        }
        for role in Role.allCases {
            #expect(role.allows(action) == expected[role], "\(role) \(action)")
        }
    }
}
