import Testing
import SignetCore

struct SQLCase: Sendable, CustomTestStringConvertible {
    let name: String
    let script: String
    let statements: [String]

    init(_ name: String, _ script: String, _ statements: [String]) {
        self.name = name
        self.script = script
        self.statements = statements
    }

    var testDescription: String { name }
}

@Suite("SQL script splitting")
struct SQLScriptTests {
    static let cases: [SQLCase] = [
        .init("empty", "", []),
        .init("whitespace only", " \n\t\n", []),
        .init("one statement", "SELECT 1;", ["SELECT 1"]),
        .init("trailing statement without semicolon", "SELECT 1;\nSELECT 2", ["SELECT 1", "SELECT 2"]),
        .init("statements are trimmed", "  SELECT 1 ;\n\n  SELECT 2;  \n", ["SELECT 1", "SELECT 2"]),
        .init("empty statements dropped", ";;SELECT 1;;;\n;", ["SELECT 1"]),
        .init("semicolon in a string", "INSERT INTO t VALUES ('a;b');SELECT 2;", ["INSERT INTO t VALUES ('a;b')", "SELECT 2"]),
        .init("doubled quote escape", "SELECT 'it''s; fine';SELECT 2", ["SELECT 'it''s; fine'", "SELECT 2"]),
        .init("empty string then doubled quote", "SELECT '', ''''; SELECT ';'", ["SELECT '', ''''", "SELECT ';'"]),
        .init("backslash is literal in a standard string", #"SELECT 'C:\'; SELECT 2"#, [#"SELECT 'C:\'"#, "SELECT 2"]),
        .init("E-string backslash escape", #"SELECT E'\''; SELECT ';';"#, [#"SELECT E'\''"#, "SELECT ';'"]),
        .init("lowercase e-string", #"SELECT e'a\';b'; SELECT 2"#, [#"SELECT e'a\';b'"#, "SELECT 2"]),
        .init("E-string escaped backslash before the quote", #"SELECT E'\\'; SELECT 2"#, [#"SELECT E'\\'"#, "SELECT 2"]),
        .init("keyword ending in E is not an E-string", #"SELECT CASE WHEN true THEN 'x' ELSE'\' END; SELECT 2"#,
              [#"SELECT CASE WHEN true THEN 'x' ELSE'\' END"#, "SELECT 2"]),
        .init("lowercase keyword ending in e", #"select case when true then 'x' else'\' end; select 2"#,
              [#"select case when true then 'x' else'\' end"#, "select 2"]),
        .init("E-string after an operator", #"SELECT 1 WHERE x=E'\';'; SELECT 2"#, [#"SELECT 1 WHERE x=E'\';'"#, "SELECT 2"]),
        .init("quoted identifier", #"CREATE TABLE "a;b" ("c""d;" int); SELECT 2"#, [#"CREATE TABLE "a;b" ("c""d;" int)"#, "SELECT 2"]),
        .init("quote inside identifier", #"SELECT "it's"; SELECT 2"#, [#"SELECT "it's""#, "SELECT 2"]),
        .init("$$ body", "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; SELECT 2; $$ LANGUAGE sql; SELECT 3",
              ["CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; SELECT 2; $$ LANGUAGE sql", "SELECT 3"]),
        .init("tagged body containing $$", "DO $fn$ BEGIN PERFORM 1; RAISE NOTICE '$$;'; END $fn$; SELECT 2",
              ["DO $fn$ BEGIN PERFORM 1; RAISE NOTICE '$$;'; END $fn$", "SELECT 2"]),
        .init("different tags do not close each other", "SELECT $a$ x; $b$ y; $a$; SELECT 2", ["SELECT $a$ x; $b$ y; $a$", "SELECT 2"]),
        .init("quotes and comments inside a body", "SELECT $$ it's -- no; /* nor; $$; SELECT 2", ["SELECT $$ it's -- no; /* nor; $$", "SELECT 2"]),
        .init("$1 parameters are not dollar quotes", "PREPARE p AS SELECT $1, $2; SELECT '$1;'", ["PREPARE p AS SELECT $1, $2", "SELECT '$1;'"]),
        .init("$1$ is not a tag either", "SELECT $1$; SELECT 2", ["SELECT $1$", "SELECT 2"]),
        .init("dollar inside an identifier", "SELECT a$b$c; SELECT 2", ["SELECT a$b$c", "SELECT 2"]),
        .init("unterminated body runs to the end", "SELECT $$ a; b", ["SELECT $$ a; b"]),
        .init("line comment", "SELECT 1; -- drop; this\nSELECT 2;", ["SELECT 1", "-- drop; this\nSELECT 2"]),
        .init("line comment with a quote", "-- don't split here;\nSELECT 'a;b';", ["-- don't split here;\nSELECT 'a;b'"]),
        .init("line comment at the end", "SELECT 1; -- the end; really", ["SELECT 1"]),
        .init("block comment", "SELECT /* ; */ 1; SELECT 2", ["SELECT /* ; */ 1", "SELECT 2"]),
        .init("nested block comment", "SELECT /* a /* b; */ still; */ 1; SELECT 2", ["SELECT /* a /* b; */ still; */ 1", "SELECT 2"]),
        .init("quote inside a block comment", "SELECT /* it's */ 1; SELECT 2", ["SELECT /* it's */ 1", "SELECT 2"]),
        .init("comment-only chunks dropped", "-- header\n/* about; this */\nSELECT 1;\n-- footer;\n/* end */\n", ["-- header\n/* about; this */\nSELECT 1"]),
        .init("nested comment-only chunk dropped", "SELECT 1; /* outer /* inner */ still comment; */", ["SELECT 1"]),
        .init("nested comment then a statement", "/* a /* b */ c */ SELECT 1; /* x */ /* y /* z */ */ -- end", ["/* a /* b */ c */ SELECT 1"]),
        .init("unterminated comment is kept", "SELECT 1; /* never closed; SELECT 2", ["SELECT 1", "/* never closed; SELECT 2"]),
        .init("minus minus is not subtraction of a negative", "SELECT 5 - -3; SELECT 2", ["SELECT 5 - -3", "SELECT 2"]),
        .init("division is not a comment", "SELECT 6 / 2; SELECT 2", ["SELECT 6 / 2", "SELECT 2"]),
        .init("non-ASCII text", "SELECT 'café;crème'; SELECT 'ü'", ["SELECT 'café;crème'", "SELECT 'ü'"]),
    ]

    @Test("split table", arguments: cases)
    func split(_ row: SQLCase) {
        #expect(SQLScript.statements(in: row.script) == row.statements)
    }

    @Test("a realistic migration")
    func migration() {
        let script = """
            -- 0001: seals
            BEGIN;

            CREATE TABLE seal (
                gtin  char(14) NOT NULL,
                serial text NOT NULL, -- AI 21; at most 20 characters
                note text DEFAULT 'n/a; none',
                PRIMARY KEY (gtin, serial)
            );

            CREATE FUNCTION signet_touch() RETURNS trigger LANGUAGE plpgsql AS $body$
            BEGIN
                NEW.updated := now(); -- keep; fresh
                RETURN NEW;
            END;
            $body$;

            /* seed
               data; */
            INSERT INTO seal VALUES ('04006381333931', 'S;1', E'a\\'b;c');
            COMMIT;
            """
        let statements = SQLScript.statements(in: script)
        #expect(statements.count == 5)
        #expect(statements.first == "-- 0001: seals\nBEGIN")
        #expect(statements[1].hasPrefix("CREATE TABLE seal ("))
        #expect(statements[1].hasSuffix(")"))
        #expect(statements[1].contains("'n/a; none'"))
        #expect(statements[2].hasPrefix("CREATE FUNCTION signet_touch()"))
        #expect(statements[2].hasSuffix("$body$"))
        #expect(statements[3].hasSuffix(#"E'a\'b;c')"#))
        #expect(statements.last == "COMMIT")
    }

    @Test("splitting is stable: joining with semicolons and splitting again gives the same statements")
    func stable() {
        for row in Self.cases {
            let statements = SQLScript.statements(in: row.script)
            let rejoined = statements.joined(separator: ";\n")
            // Ending with an unterminated body or comment cannot be re-joined meaningfully.
            if row.name.hasPrefix("unterminated") { continue }
            #expect(SQLScript.statements(in: rejoined) == statements, "\(row.name)")
        }
    }
}
