/// A file under the resources folder (templates, localization, migrations, seed
/// data) that is missing or unusable; start-up stops with this.
package enum ResourceError: Error, CustomStringConvertible {
    case missing(String)
    case invalid(String, String)

    package var description: String {
        switch self {
        case .missing(let path): "missing resource \(path) (is SIGNET_RESOURCES_DIR the project folder?)"
        case .invalid(let path, let reason): "invalid resource \(path): \(reason)"
        }
    }
}
