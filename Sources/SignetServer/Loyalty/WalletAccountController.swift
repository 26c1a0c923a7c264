import Foundation
import Hummingbird
import SignetCore

/// A wallet's account: an e-mail and a password added to the device's wallet,
/// signing in with them on another device (that device's own points move
/// into the account, once), or with a one-time link sent by e-mail when SMTP
/// is configured, and signing out. Bcrypt, the sign-in throttle and one
/// message for a wrong e-mail or password, as in the portal.
struct WalletAccountController: Sendable {
    let accounts: WalletAccountStore
    let passwords: PasswordHasher
    let throttle: SignInThrottle
    let clientAddresses: ClientAddressResolver
    let walletPages: WalletController
    let mailer: SMTPClient?
    let publicURL: String

    func addRoutes(to router: Router<SignetRequestContext>) {
        router.post("wallet/account", use: attach)
        router.post("wallet/sign-in", use: signIn)
        router.post("wallet/sign-out", use: signOut)
        router.post("wallet/sign-in-link", use: sendLink)
        router.get("wallet/sign-in-link/:token", use: confirmLink)
        router.post("wallet/sign-in-link/:token", use: useLink)
    }

    /// Sends a sign-in link if an account has this e-mail, and says the same
    /// thing, at once, whether it has or not: the mail goes out after the
    /// answer, so neither the words nor the time tell who has a wallet.
    @Sendable func sendLink(_ request: Request, context: SignetRequestContext) async throws -> Response {
        try WalletController.refuseCrossSite(request)
        guard let mailer else { throw PublicError.notFound }
        var request = request
        let fields = try await PortalForm.fields(&request)
        let language = WalletController.language(request)
        let device = try await walletPages.currentWallet(request)
        let emailText = (fields["email"] ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        guard let email = EmailAddress(emailText) else {
            return try await walletPages.page(wallet: device, language: language, problem: "wallet_error_email", status: .unprocessableContent)
        }
        if isThrottled(email: emailText, request: request, context: context) {
            return try await walletPages.page(wallet: device, language: language, problem: "wallet_error_throttled", status: .tooManyRequests)
        }
        if let token = try await accounts.issueSignInLink(email: email) {
            let message = try WalletSignInLinkMail.message(
                to: email.value, link: "\(publicURL)/wallet/sign-in-link/\(token)",
                strings: walletPages.renderer.strings(language), from: mailer.configuration.from)
            let logger = context.logger
            Task {
                do { try await mailer.send(message) } catch {
                    logger.warning("could not e-mail a wallet sign-in link", metadata: ["error": "\(String(reflecting: error))"])
                }
            }
        }
        return try await walletPages.page(
            wallet: device, language: language,
            message: (walletPages.renderer.strings(language).format(
                "wallet_link_sent", ["minutes": String(WalletAccountStore.signInLinkLifetime.components.seconds / 60)]), false))
    }

    /// The link from the e-mail shows a button rather than signing in: mail
    /// scanners open links, and must not use them up.
    @Sendable func confirmLink(_ request: Request, context: SignetRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        guard token.utf8.count <= 64 else { throw PublicError.notFound }
        return walletPages.renderer.page(
            "sign-in-link", language: WalletController.language(request), context: ["token": token],
            extraHeaders: [.cacheControl: "no-store"])
    }

    @Sendable func useLink(_ request: Request, context: SignetRequestContext) async throws -> Response {
        try WalletController.refuseCrossSite(request)
        let token = try context.parameters.require("token")
        let device = try await walletPages.currentWallet(request)
        guard token.utf8.count <= 64,
              let newToken = try await accounts.signIn(
                link: token, deviceWalletID: device?.id, oldToken: request.cookies[WalletController.cookieName].map { String($0.value) })
        else {
            return try await walletPages.page(
                wallet: device, language: WalletController.language(request), problem: "wallet_error_link", status: .notFound)
        }
        var response = Redirect(location: "/wallet?signed-in=1").response
        response.setCookie(walletPages.walletCookie(newToken))
        return response
    }

    @Sendable func attach(_ request: Request, context: SignetRequestContext) async throws -> Response {
        try WalletController.refuseCrossSite(request)
        var request = request
        let fields = try await PortalForm.fields(&request)
        let language = WalletController.language(request)
        guard let wallet = try await walletPages.currentWallet(request) else { return Redirect(location: "/wallet").response }
        guard let email = EmailAddress(fields["email"] ?? "") else {
            return try await walletPages.page(wallet: wallet, language: language, problem: "wallet_error_email", status: .unprocessableContent)
        }
        let password = fields["password"] ?? ""
        guard PasswordPolicy.check(password) == nil else {
            return try await walletPages.page(wallet: wallet, language: language, problem: "wallet_error_password", status: .unprocessableContent)
        }
        switch try await accounts.attach(walletID: wallet.id, email: email, passwordHash: try await passwords.hash(password)) {
        case .attached, .alreadyAccount:
            return Redirect(location: "/wallet?account=saved").response
        case .emailTaken:
            return try await walletPages.page(wallet: wallet, language: language, problem: "wallet_error_email_taken", status: .conflict)
        }
    }

    @Sendable func signIn(_ request: Request, context: SignetRequestContext) async throws -> Response {
        try WalletController.refuseCrossSite(request)
        var request = request
        let fields = try await PortalForm.fields(&request)
        let language = WalletController.language(request)
        let device = try await walletPages.currentWallet(request)
        let emailText = (fields["email"] ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        if isThrottled(email: emailText, request: request, context: context) {
            return try await walletPages.page(wallet: device, language: language, problem: "wallet_error_throttled", status: .tooManyRequests)
        }
        let password = fields["password"] ?? ""
        let account = try await EmailAddress(emailText).asyncFlatMap { try await accounts.account(email: $0) }
        let valid: Bool
        if let hash = account?.passwordHash {
            valid = try await passwords.verify(password, hash: hash)
        } else {
            // The same bcrypt work for an unknown e-mail: the answer's time says nothing.
            valid = try await passwords.verifyAgainstDecoy(password)
        }
        guard valid, let account else {
            return try await walletPages.page(wallet: device, language: language, problem: "wallet_error_sign_in", status: .unauthorized)
        }
        let token = try await accounts.signIn(
            accountID: account.id, deviceWalletID: device?.id, oldToken: request.cookies[WalletController.cookieName].map { String($0.value) })
        var response = Redirect(location: "/wallet?signed-in=1").response
        response.setCookie(walletPages.walletCookie(token))
        return response
    }

    /// Counts an attempt for the e-mail and the client's address; true when over the sign-in throttle.
    private func isThrottled(email: String, request: Request, context: SignetRequestContext) -> Bool {
        let address = clientAddresses.clientAddress(
            peer: context.remoteAddress?.signetIPAddress, forwardedFor: request.headers[values: .xForwardedFor])
        do {
            try throttle.attempt(email: email, address: address)
            return false
        } catch {
            return true
        }
    }

    @Sendable func signOut(_ request: Request, context: SignetRequestContext) async throws -> Response {
        try WalletController.refuseCrossSite(request)
        if let token = request.cookies[WalletController.cookieName]?.value, !token.isEmpty {
            try await accounts.signOut(token: String(token))
        }
        var response = Redirect(location: "/wallet").response
        response.setCookie(walletPages.expiredCookie)
        return response
    }
}

extension Optional {
    fileprivate func asyncFlatMap<U>(_ transform: (Wrapped) async throws -> U?) async rethrows -> U? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
