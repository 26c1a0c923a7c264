import Foundation

/// The instants and offsets EPCIS documents write: `eventTime`,
/// `creationDate` and `declarationTime` are RFC 3339 date-times that must
/// carry their offset (xsd:dateTimeStamp), such as `2005-04-03T20:33:31.116-06:00`
/// or `2013-06-08T14:58:56Z`; `eventTimeZoneOffset` is `+01:00` alone.
///
/// Hand-written because Foundation's ISO 8601 parsers each take a fixed
/// number of fraction digits, and the standard's own examples use 0, 1, 3 and 6.
public enum EPCISTimestamp {
    /// Nil unless `text` is `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` naming a real
    /// instant (a day that exists, an offset within ±14:00).
    public static func date(from text: some StringProtocol) -> Date? {
        let bytes = Array(text.utf8)
        // The longest sensible form has nanoseconds; this only bounds the work.
        guard bytes.count >= 20, bytes.count <= 64,
              bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t"),
              bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
              let year = number(bytes[0..<4]), let month = number(bytes[5..<7]), let day = number(bytes[8..<10]),
              let hour = number(bytes[11..<13]), let minute = number(bytes[14..<16]), let second = number(bytes[17..<19]),
              year >= 1, (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day),
              hour <= 23, minute <= 59, second <= 59
        else { return nil }

        var position = 19
        var fraction = 0.0
        if bytes[position] == UInt8(ascii: ".") {
            let digitsStart = position + 1
            position = digitsStart
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
            guard position > digitsStart,
                  let value = Double("0." + String(decoding: bytes[digitsStart..<position], as: UTF8.self))
            else { return nil }
            fraction = value
        }
        guard position < bytes.count else { return nil }
        let offsetSeconds: Int
        if bytes[position] == UInt8(ascii: "Z") || bytes[position] == UInt8(ascii: "z") {
            guard position + 1 == bytes.count else { return nil }
            offsetSeconds = 0
        } else {
            guard let offset = timeZoneOffsetSeconds(bytes[position...]) else { return nil }
            offsetSeconds = offset
        }

        let localSeconds = daysSinceEpoch(year: year, month: month, day: day) * 86_400 + hour * 3_600 + minute * 60 + second
        return Date(timeIntervalSince1970: Double(localSeconds - offsetSeconds) + fraction)
    }

    /// Whether `text` is an `eventTimeZoneOffset`: `+HH:MM` or `-HH:MM`, at most 14 hours.
    public static func isTimeZoneOffset(_ text: some StringProtocol) -> Bool {
        timeZoneOffsetSeconds(ArraySlice(text.utf8)) != nil
    }

    /// Seconds east of UTC for `±HH:MM` (the whole slice), nil when malformed or beyond ±14:00.
    private static func timeZoneOffsetSeconds(_ bytes: ArraySlice<UInt8>) -> Int? {
        guard bytes.count == 6 else { return nil }
        let start = bytes.startIndex
        let sign = bytes[start]
        guard sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-"), bytes[start + 3] == UInt8(ascii: ":"),
              let hours = number(bytes[(start + 1)..<(start + 3)]), let minutes = number(bytes[(start + 4)..<(start + 6)]),
              minutes <= 59, hours < 14 || (hours == 14 && minutes == 0)
        else { return nil }
        let seconds = hours * 3_600 + minutes * 60
        return sign == UInt8(ascii: "-") ? -seconds : seconds
    }

    private static func number(_ bytes: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for byte in bytes {
            guard isDigit(byte) else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private static func isLeap(_ year: Int) -> Bool {
        year.isMultiple(of: 4) && (!year.isMultiple(of: 100) || year.isMultiple(of: 400))
    }

    /// Days from 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's days_from_civil).
    private static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
