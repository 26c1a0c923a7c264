extension DigitalLinkCompression {
    /// The AI table of GS1's reference implementation (GS1DigitalLinkCompressionPrototype, its `tableF`
    /// for the binary layout and `aitable` for roles, check digits and short names), with these
    /// corrections, each needed for a value the reference cannot compress at all:
    /// - 235 (TPX) is X..28 and a key qualifier of 01, as in the GS1 syntax dictionary; the reference
    ///   lays it out as N3+X..28, which fails on any TPX not starting with three digits.
    /// - 7040 (UIC with extension) is N1+X3; the reference's entry has a typo that drops the X3 part.
    /// - 715 and 716 (NHRN) are X..20; the reference knows them but has no layout for them.
    /// - 417 (party GLN) and 8013 (GMN) are primary keys, and 7040 and 8020 key qualifiers, as the
    ///   current GS1 syntax dictionary says (dlpkey); the reference predates them.
    static let applicationIdentifiers: [String: ApplicationIdentifier] = {
        var table: [String: ApplicationIdentifier] = [:]
        func add(_ entry: ApplicationIdentifier) { table[entry.code] = entry }
        func add(_ codes: [String], _ components: [ValueComponent]) {
            for code in codes { add(ApplicationIdentifier(code, components)) }
        }
        let n = ValueComponent.numeric, x = ValueComponent.alphanumeric
        let nUpTo = ValueComponent.variableNumeric, xUpTo = ValueComponent.variableAlphanumeric

        // Primary keys and their qualifiers.
        add(.init("00", [n(18)], .primaryKey, checkDigit: .last, shortName: "sscc"))
        add(.init("01", [n(14)], .primaryKey, checkDigit: .last, qualifiers: ["22", "10", "21", "235"], shortName: "gtin"))
        add(.init("253", [n(13), xUpTo(17)], .primaryKey, checkDigit: .digit(13), shortName: "gdti"))
        add(.init("255", [n(13), nUpTo(12)], .primaryKey, checkDigit: .digit(13), shortName: "gcn"))
        add(.init("401", [xUpTo(30)], .primaryKey, shortName: "ginc"))
        add(.init("402", [n(17)], .primaryKey, checkDigit: .last, shortName: "gsin"))
        add(.init("414", [n(13)], .primaryKey, checkDigit: .last, qualifiers: ["254", "7040"], shortName: "gln"))
        add(.init("415", [n(13)], .primaryKey, checkDigit: .last, qualifiers: ["8020"], shortName: "payto"))
        add(.init("417", [n(13)], .primaryKey, checkDigit: .last, qualifiers: ["7040"]))
        add(.init("8003", [n(14), xUpTo(16)], .primaryKey, checkDigit: .digit(14), shortName: "grai"))
        add(.init("8004", [xUpTo(30)], .primaryKey, qualifiers: ["7040"], shortName: "giai"))
        add(.init("8006", [n(18)], .primaryKey, checkDigit: .digit(14), qualifiers: ["22", "10", "21"], shortName: "itip"))
        add(.init("8010", [xUpTo(30)], .primaryKey, characterSet: .set39, qualifiers: ["8011"], shortName: "cpid"))
        add(.init("8013", [xUpTo(30)], .primaryKey))
        add(.init("8017", [n(18)], .primaryKey, checkDigit: .last, qualifiers: ["8019"], shortName: "gsrnp"))
        add(.init("8018", [n(18)], .primaryKey, checkDigit: .last, qualifiers: ["8019"], shortName: "gsrn"))

        add(.init("10", [xUpTo(20)], .keyQualifier, shortName: "lot"))
        add(.init("21", [xUpTo(20)], .keyQualifier, shortName: "ser"))
        add(.init("22", [xUpTo(20)], .keyQualifier, shortName: "cpv"))
        add(.init("235", [xUpTo(28)], .keyQualifier))
        add(.init("254", [xUpTo(20)], .keyQualifier, shortName: "glnx"))
        add(.init("7040", [n(1), x(3)], .keyQualifier))
        add(.init("8011", [nUpTo(12)], .keyQualifier, shortName: "cpsn"))
        add(.init("8019", [nUpTo(10)], .keyQualifier, shortName: "srin"))
        add(.init("8020", [xUpTo(25)], .keyQualifier))

        // Data attributes with something beyond the plain layout.
        add(.init("02", [n(14)], checkDigit: .last))
        add(.init("17", [n(6)], shortName: "exp"))
        add(.init("7003", [n(10)], shortName: "expdt"))
        add(.init("8026", [n(18)], checkDigit: .digit(14)))
        for code in ["410", "411", "412", "413", "416"] { add(.init(code, [n(13)], checkDigit: .last)) }
        for code in 7230...7239 { add(.init(String(code), [xUpTo(30)], lengthLimits: 2...30)) }
        // IBAN: the syntax allows 34 characters, the format table's length field only 31.
        add(.init("8007", [xUpTo(24)], lengthLimits: 0...34))

        // Plain data attributes.
        add(["11", "12", "13", "15", "16", "4326", "7006", "8005"], [n(6)])
        add(["20"], [n(2)])
        add(["30", "37"], [nUpTo(8)])
        add(["242"], [nUpTo(6)])
        add(["422", "424", "426"], [n(3)])
        add(["421"], [n(3), xUpTo(9)])
        add(["423", "425"], [n(3), nUpTo(12)])
        add(["4309"], [n(20)])
        add(["4321", "4322", "4323"], [n(1)])
        add(["4324", "4325"], [n(10)])
        add(["7001"], [n(13)])
        add(["7004"], [nUpTo(4)])
        add(["7007"], [n(6), nUpTo(6)])
        add(["8001"], [n(14)])
        add(["8008"], [n(8), nUpTo(4)])
        add(["8111"], [n(4)])
        add(["4307", "4317"], [x(2)])
        add(["427", "7008"], [xUpTo(3)])
        add(["7010"], [xUpTo(2)])
        add(["7009"], [xUpTo(10)])
        add(["7005"], [xUpTo(12)])
        add(["243", "420", "4318", "7020", "7021", "7022", "7240", "8002", "8012"], [xUpTo(20)])
        add((710...716).map(String.init), [xUpTo(20)])
        add(["240", "241", "250", "251", "400", "403", "4308", "4319", "7002", "7023", "90"], [xUpTo(30)])
        add(["4300", "4301", "4310", "4311", "4320"], [xUpTo(35)])
        add(["8009"], [xUpTo(50)])
        add(["4302", "4303", "4304", "4305", "4306", "4312", "4313", "4314", "4315", "4316", "8110", "8112", "8200"], [xUpTo(70)])
        add((91...99).map(String.init), [xUpTo(90)])
        add((7030...7039).map(String.init), [n(3), xUpTo(27)])

        // Measures: the last digit of the AI is the decimal point position.
        let sixDigitMeasureFamilies = [
            310...316, 320...329, 330...337, 340...349, 350...357, 360...369,
        ]
        for family in sixDigitMeasureFamilies {
            for prefix in family { add((0...5).map { String(prefix * 10 + $0) }, [n(6)]) }
        }
        add((3900...3909).map(String.init) + (3920...3929).map(String.init), [nUpTo(15)])
        add((3910...3919).map(String.init) + (3930...3939).map(String.init), [n(3), nUpTo(15)])
        add((3940...3943).map(String.init), [n(4)])
        add((3950...3959).map(String.init), [n(6)])
        return table
    }()

    /// How many digits an AI has, by its first two (the standard's table P). A binary AI key whose first
    /// two digits are not here is in a reserved range.
    static let applicationIdentifierLengthByPrefix: [String: Int] = [
        "00": 2, "01": 2, "02": 2, "10": 2, "11": 2, "12": 2, "13": 2, "15": 2, "16": 2, "17": 2,
        "20": 2, "21": 2, "22": 2, "23": 3, "24": 3, "25": 3, "30": 2, "31": 4, "32": 4, "33": 4,
        "34": 4, "35": 4, "36": 4, "37": 2, "39": 4, "40": 3, "41": 3, "42": 3, "43": 4, "70": 4,
        "71": 3, "72": 4, "80": 4, "81": 4, "82": 4, "90": 2, "91": 2, "92": 2, "93": 2, "94": 2,
        "95": 2, "96": 2, "97": 2, "98": 2, "99": 2,
    ]

    /// The reference implementation's alphabetic short names (/gtin/, /lot/, ?exp=), read as their AIs.
    static let applicationIdentifierByShortName: [String: String] = {
        var names: [String: String] = [:]
        for entry in applicationIdentifiers.values {
            if let shortName = entry.shortName { names[shortName] = entry.code }
        }
        return names
    }()

    /// The AI a path segment or query key names, numerically or by short name.
    static func applicationIdentifier(named name: some StringProtocol) -> ApplicationIdentifier? {
        if let entry = applicationIdentifiers[String(name)] { return entry }
        guard let code = applicationIdentifierByShortName[String(name)] else { return nil }
        return applicationIdentifiers[code]
    }
}
