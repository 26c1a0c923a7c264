extension Dictionary where Key == String, Value == Any {
    /// The context without its empty strings: a mustache section opens on any
    /// string, even an empty one, so `{{#holder}}` must find no key at all.
    var withoutEmptyStrings: [String: Any] {
        filter { !(($0.value as? String)?.isEmpty ?? false) }
    }
}
