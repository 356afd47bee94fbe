/// Slack's Block Kit limits (REFERENCE.md). Breaking any of them makes Slack refuse the
/// whole message (`invalid_blocks`), so the renderer cuts content to fit instead.
public enum SlackLimits {
    public static let blocksPerMessage = 50
    public static let blocksPerView = 100
    public static let sectionText = 3000
    public static let fieldsPerSection = 10
    public static let fieldText = 2000
    public static let headerText = 150
    public static let buttonText = 75
    public static let buttonValue = 2000
    public static let identifier = 255
    public static let elementsPerActions = 25
    public static let elementsPerContext = 10
    public static let contextText = 2000
    /// An overflow menu holds 2 to 5 options; an option's text is at most 75 characters
    /// and its value at most 150.
    public static let overflowOptions = 2...5
    public static let optionText = 75
    public static let optionValue = 150
    public static let fallbackText = 3000
    public static let modalTitle = 24
    public static let privateMetadata = 3000
    /// Slack answers `msg_blocks_too_long` near 13k characters; staying well under it
    /// leaves room for escaping and JSON overhead.
    public static let messageTextBudget = 11_000
}
