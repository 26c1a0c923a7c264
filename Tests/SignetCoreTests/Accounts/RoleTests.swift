import SignetCore
import Testing

@Suite("Roles")
struct RoleTests {
    @Test("viewers only read; editors also run the catalogue, seals and alerts; owners do everything", arguments: BrandAction.allCases)
    func matrix(action: BrandAction) {
        let expected: [Role: Bool] = switch action {
        case .read: [.viewer: true, .editor: true, .owner: true]
        case .editCatalogue, .manageSeals, .handleAlerts: [.viewer: false, .editor: true, .owner: true]
        case .manageUsers, .manageAPIKeys, .manageBrand, .readAuditLog: [.viewer: false, .editor: false, .owner: true]
        }
        for role in Role.allCases {
            #expect(role.allows(action) == expected[role], "\(role) \(action)")
        }
    }
}
