import Foundation
import Mustache

/// An e-mail's HTML alternative, through an auto-escaping Mustache template: a heading, paragraphs, a link and a
/// footer, every value escaped.
public enum MailHTML {
    static let template: MustacheTemplate = {
        // The template is bundled; a missing one is a build defect caught by the tests.
        let url = Bundle.module.url(forResource: "mail", withExtension: "mustache")!
        _ = HTMLEscaping.registered
        return try! MustacheTemplate(string: String(contentsOf: url, encoding: .utf8))
    }()

    /// Answers the template by name, not through Mirror: a bulk issue renders a message per certificate inside its
    /// transaction.
    struct Page: MustacheParent {
        struct Link: MustacheParent {
            let href, label: String

            func child(named name: String) -> Any? {
                switch name {
                case "href": href
                case "label": label
                default: nil
                }
            }
        }
        let lang, title, footer: String
        let paragraphs: [String]
        let link: Link?

        func child(named name: String) -> Any? {
            switch name {
            case "lang": lang
            case "title": title
            case "footer": footer
            case "paragraphs": paragraphs
            case "link": link
            default: nil
            }
        }
    }

    /// The page of a message in `language` (a BCP 47 tag).
    public static func render(language: String, title: String, paragraphs: [String], link: (href: String, label: String)?,
                              footer: String) -> String {
        template.render(Page(lang: language, title: title, footer: footer, paragraphs: paragraphs,
                             link: link.map { Page.Link(href: $0.href, label: $0.label) }))
    }
}
