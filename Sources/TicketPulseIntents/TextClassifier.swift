import Foundation

/// A multinomial logistic regression over word, word-pair and character-trigram features,
/// trained at start-up from the catalogue's utterances. Deterministic: fixed example order,
/// no randomness. Word pairs carry word order; character trigrams make typos
/// ("tickts", "escalatoins") land near the right words.
struct TextClassifier: Sendable {
    private let labels: [IntentName]
    private let vocabulary: [String: Int]
    private let idf: [Double]
    /// weights[feature * labels.count + label]: a feature's weights for every label lie
    /// side by side, so scoring and training walk memory in order over the few features a
    /// text has (one flat array, not an array per label).
    private let weights: [Double]
    private let bias: [Double]

    init(examples: [(text: String, label: IntentName)], epochs: Int = 30, learningRate: Double = 0.8, l2: Double = 1e-5) {
        let labels = IntentName.allCases
        var vocabulary: [String: Int] = [:]
        var documentFrequency: [Int] = []
        let featureLists = examples.map { Self.features(of: $0.text) }
        // Features are numbered in the order they first appear, so the model is the same
        // from one run to the next (a Set's order is not).
        // Each example's features by number, found once here rather than looked up again to
        // build its vector (a hash lookup per feature of every example, at every start-up).
        let numbered = featureLists.map { features in
            features.map { feature, count -> (Int, Double) in
                if let index = vocabulary[feature] {
                    documentFrequency[index] += 1
                    return (index, count)
                }
                vocabulary[feature] = documentFrequency.count
                documentFrequency.append(1)
                return (documentFrequency.count - 1, count)
            }
        }
        let count = Double(examples.count)
        let idf = documentFrequency.map { log((1 + count) / (1 + Double($0))) + 1 }
        let vectors = numbered.map { Self.vector(numbered: $0, idf: idf) }
        let targets = examples.map { example in labels.firstIndex(of: example.label)! }

        // Stochastic gradient descent on the softmax loss, one example at a time. Each step
        // reads the probabilities first and then updates every weight of the example's
        // features once, so the order in which weights are updated does not matter.
        let labelCount = labels.count
        var weights = Array(repeating: 0.0, count: idf.count * labelCount)
        var bias = Array(repeating: 0.0, count: labelCount)
        var probabilities = Array(repeating: 0.0, count: labelCount)
        var gradients = Array(repeating: 0.0, count: labelCount)
        weights.withUnsafeMutableBufferPointer { weights in
            bias.withUnsafeMutableBufferPointer { bias in
                probabilities.withUnsafeMutableBufferPointer { probabilities in
                    gradients.withUnsafeMutableBufferPointer { gradients in
                        for epoch in 0..<epochs {
                            let rate = learningRate / (1 + Double(epoch) * 0.1)
                            for (vector, target) in zip(vectors, targets) {
                                Self.scores(vector, weights: UnsafeBufferPointer(weights), bias: UnsafeBufferPointer(bias), into: probabilities)
                                Self.softmax(probabilities)
                                for label in 0..<labelCount {
                                    gradients[label] = probabilities[label] - (label == target ? 1 : 0)
                                    bias[label] -= rate * gradients[label]
                                }
                                for (index, value) in vector {
                                    let row = weights.baseAddress! + index * labelCount
                                    for label in 0..<labelCount {
                                        row[label] -= rate * (gradients[label] * value + l2 * row[label])
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        self.labels = labels
        self.vocabulary = vocabulary
        self.idf = idf
        self.weights = weights
        self.bias = bias
    }

    /// Every intent with its probability, most likely first; empty when no feature is known.
    func classify(_ text: String) -> [ScoredIntent] {
        // The known features numbered as they come, each once with its amounts added in
        // order, as training numbers `features(of:)`: without gathering the unknown ones
        // too by their strings first (a second hash of every feature).
        // A message has some tens of features: room for them up front, not grown step by step.
        var numbered: [(Int, Double)] = []
        numbered.reserveCapacity(128)
        var positions: [Int: Int] = [:]
        positions.reserveCapacity(128)
        Self.forEachFeature(of: text) { feature, amount in
            guard let index = vocabulary[feature] else { return }
            if let position = positions[index] { numbered[position].1 += amount } else {
                positions[index] = numbered.count
                numbered.append((index, amount))
            }
        }
        let vector = Self.vector(numbered: numbered, idf: idf)
        guard !vector.isEmpty else { return [] }
        var probabilities = Array(repeating: 0.0, count: labels.count)
        weights.withUnsafeBufferPointer { weights in
            bias.withUnsafeBufferPointer { bias in
                probabilities.withUnsafeMutableBufferPointer { probabilities in
                    Self.scores(vector, weights: weights, bias: bias, into: probabilities)
                    Self.softmax(probabilities)
                }
            }
        }
        return zip(labels, probabilities).map { ScoredIntent(intent: $0, confidence: $1) }.sorted { $0.confidence > $1.confidence }
    }

    /// The features of a text with their counts, each once, in the order they first appear.
    static func features(of text: String) -> [(feature: String, count: Double)] {
        var features: [(feature: String, count: Double)] = []
        var positions: [String: Int] = [:]
        forEachFeature(of: text) { feature, amount in
            if let position = positions[feature] { features[position].count += amount } else {
                positions[feature] = features.count
                features.append((feature, amount))
            }
        }
        return features
    }

    /// Each feature of a text with its amount, in order, as often as it occurs.
    static func forEachFeature(of text: String, _ add: (String, Double) -> Void) {
        let words = ASCIIText.words(text).map { stem(String($0)) }
        for (index, word) in words.enumerated() {
            add("w:" + word, 1)
            if index + 1 < words.count { add("b:" + word + " " + words[index + 1], 1) }
            guard !word.hasPrefix("qq"), word.count > 2 else { continue }
            if let bytes = ASCIIText.bytes("<" + word + ">") {
                // In ASCII a byte is a character: each trigram is made from five bytes, a
                // string short enough to need no allocation, instead of from characters.
                var trigram: [UInt8] = Array("c:...".utf8)
                for start in 0...(bytes.count - 3) {
                    trigram[2] = bytes[start]; trigram[3] = bytes[start + 1]; trigram[4] = bytes[start + 2]
                    add(String(decoding: trigram, as: UTF8.self), 0.3)
                }
                continue
            }
            let characters = Array("<" + word + ">")
            for start in 0...(characters.count - 3) {
                add("c:" + String(characters[start..<start + 3]), 0.3)
            }
        }
        if let first = words.first { add("f:" + first, 1) }
        // One feature for "the message negates something" ("no longer", "don't", "stop"):
        // the words differ from message to message, the meaning for alerts does not.
        if CompoundSlots.hasNegation(text) { add("x:neg", 1) }
        // Words of domains the bot does not know (money, HR, general knowledge): one feature
        // that every such example teaches (see `OutOfScopeLexicon`).
        let outside = OutOfScopeLexicon.hits(words)
        if outside > 0 { add("x:oos", Double(outside)) }
    }

    /// Light stemming so "tickets"/"ticket" and "escalated"/"escalations" share features.
    static func stem(_ word: String) -> String {
        var word = word
        if word.hasSuffix("'s") { word.removeLast(2) }
        // Counted once, not once per suffix: a word's characters are counted by walking them.
        let count = word.count
        for suffix in stemSuffixes where count > suffix.count + 3 && word.hasSuffix(suffix) {
            if suffix == "s" && word.hasSuffix("ss") { continue }
            return String(word.dropLast(suffix.count))
        }
        return word
    }

    private static let stemSuffixes = ["ations", "ation", "ings", "ing", "ed", "es", "s"]

    /// A text's known features, numbered, weighted by tf-idf and scaled to unit length.
    static func vector(numbered features: [(Int, Double)], idf: [Double]) -> [(Int, Double)] {
        var vector: [(Int, Double)] = []
        vector.reserveCapacity(features.count)
        for (index, count) in features {
            vector.append((index, (1 + log(count + 1)) * idf[index]))
        }
        vector.sort { $0.0 < $1.0 }
        let norm = vector.reduce(0) { $0 + $1.1 * $1.1 }.squareRoot()
        guard norm > 0 else { return [] }
        return vector.map { ($0.0, $0.1 / norm) }
    }

    /// Each label's score, bias plus weights times values, added up in the vector's order.
    static func scores(_ vector: [(Int, Double)], weights: UnsafeBufferPointer<Double>, bias: UnsafeBufferPointer<Double>, into scores: UnsafeMutableBufferPointer<Double>) {
        let labelCount = scores.count
        for label in 0..<labelCount { scores[label] = bias[label] }
        for (index, value) in vector {
            let row = weights.baseAddress! + index * labelCount
            for label in 0..<labelCount { scores[label] = scores[label] + row[label] * value }
        }
    }

    /// Scores to probabilities, in place.
    static func softmax(_ scores: UnsafeMutableBufferPointer<Double>) {
        let top = scores.max() ?? 0
        for label in scores.indices { scores[label] = exp(scores[label] - top) }
        let sum = scores.reduce(0, +)
        for label in scores.indices { scores[label] = scores[label] / sum }
    }
}
