/// Words of the domains the bot knows nothing about (money, people and pay, general
/// knowledge, weather, travel, food, office IT) read as one classifier feature, `x:oos`.
/// Such questions share most of their words with support questions ("how much did Acme …
/// this year", "how many … does Hooli have"); the one word that gives them away
/// ("invoice", "employees", "german") is rare in training and weighs little on its own.
/// Gathered into one feature, every out-of-scope example that has any of them teaches it,
/// so a new message with a word the examples never used is still pushed towards "outside
/// what I know". A feature, not a rule: "tickets about refunds for Acme" still reads as
/// tickets when its other words say so.
///
/// Words support questions use too are left out on purpose: "billing" (a ticket
/// category), "training" (one too, and "train" is its stem), "score" (CSAT), "share" ("share
/// Acme's tickets"), "meeting", "call", "lunch", "vacation", "holiday" (openers: "before my
/// call with Acme…", "while I was on vacation…"), "password" and "vpn" (ticket themes),
/// "times" ("how many times…"), "root" (cause), "spend" (time spent on tickets).
enum OutOfScopeLexicon {
    /// Stems as `TextClassifier.stem` makes them, so "invoices", "invoiced" and "invoice" meet.
    static let stems: Set<String> = Set([
        // money
        "revenue", "invoice", "pay", "paid", "payment", "payroll", "salary", "salaries", "bonus", "stock", "dividend", "earnings", "profit",
        "margin", "ebitda", "budget", "bookings", "cash", "tax", "expense", "refund", "discount", "pricing", "price", "quote", "money",
        "dollars", "euros", "bitcoin", "crypto", "valuation", "funding", "investors", "ipo", "balance", "owe",
        // people and pay
        "employees", "employee", "headcount", "staff", "workforce", "hiring", "hire", "hr", "pto", "sick", "benefits", "insurance", "pension",
        "401k", "promotion", "interview", "timesheet", "payslip",
        // general knowledge, language, arithmetic
        "translate", "translation", "german", "french", "spanish", "italian", "japanese", "chinese", "portuguese", "dutch", "language",
        "population", "president", "capital", "planet", "moon", "celsius", "fahrenheit", "ounces", "pound", "miles", "kilometers", "define",
        "minus", "divided",
        // weather, travel, food, entertainment
        "weather", "rain", "snow", "sunny", "temperature", "forecast", "flight", "hotel", "taxi", "uber", "pizza", "recipe", "restaurant",
        "joke", "poem", "song", "music", "movie", "football", "soccer", "basketball", "baseball", "cricket",
        // office IT
        "wifi", "laptop", "printer",
    ].map(TextClassifier.stem))

    /// Two-word phrases, as stemmed word pairs.
    static let pairs: Set<String> = Set([("share", "price"), ("market", "cap"), ("you", "say"), ("org", "chart"), ("square", "root"), ("exchange", "rate")]
        .map { TextClassifier.stem($0) + " " + TextClassifier.stem($1) })

    /// The first words of `pairs`: a pair is only built (a string) after one of them.
    private static let pairFirstWords = Set(pairs.map { String($0.prefix { $0 != " " }) })

    /// How many of the (stemmed) words and word pairs of a text are in the lexicon.
    static func hits(_ words: [String]) -> Int {
        var count = 0
        for (index, word) in words.enumerated() {
            if stems.contains(word) { count += 1 }
            if index + 1 < words.count, pairFirstWords.contains(word), pairs.contains(word + " " + words[index + 1]) { count += 1 }
        }
        return count
    }
}
