<?php
/*
 * Peer for the "certificates" benchmark (Benchmarks/run): the certificates obuka issues, made with TCPDF,
 * the PDF engine behind Moodle's certificate plugins.
 *
 * Usage:
 *     php Benchmarks/tcpdf-certificates.php PEOPLE.csv OUTPUT_FOLDER
 *
 * PEOPLE.csv is UTF-8 (a BOM is skipped) with ';' between fields and a header row:
 * serial;name;verify_url. For every row one PDF, OUTPUT_FOLDER/<serial>.pdf, is written: an A4 landscape
 * page laid out like obuka's Bosnian template Certificates/uvjerenje-bs.xml (the same blocks at the same
 * x/y/width in millimetres, the same sizes in points, weights, styles, alignment and colour), with the
 * sample values `obuka certificate preview` fills in, the holder's name, serial and verify URL from the
 * row, and a QR code of the verify URL.
 *
 * Fonts are TCPDF's own DejaVu Serif (regular, bold, italic) and DejaVu Sans, Unicode, subset and
 * embedded (TCPDF's default), as obuka's renderer embeds subsets of the same families. One process
 * writes every file, one TCPDF document per certificate.
 *
 * Needs php-cli and php-tcpdf (Debian: /usr/share/php/tcpdf/tcpdf.php).
 */

declare(strict_types=1);

foreach (['/usr/share/php/tcpdf/tcpdf.php', '/usr/share/php/TCPDF/tcpdf.php'] as $candidate) {
    if (is_file($candidate)) {
        require_once $candidate;
        break;
    }
}
if (!class_exists('TCPDF')) {
    fwrite(STDERR, "tcpdf-certificates.php: TCPDF not found (apt-get install -y php-tcpdf)\n");
    exit(1);
}

if ($argc !== 3) {
    fwrite(STDERR, "usage: php tcpdf-certificates.php PEOPLE.csv OUTPUT_FOLDER\n");
    exit(2);
}
[, $csvPath, $outDir] = $argv;

/**
 * A TCPDF document whose file identifier is fixed, so the same input gives the same bytes, and without
 * TCPDF's hidden "Powered by TCPDF" line (obuka's page has no such text).
 */
final class CertificatePDF extends TCPDF
{
    public function fixFileID(string $seed): void
    {
        $this->file_id = md5($seed);
        $this->tcpdflink = false;
    }
}

// The sample values `obuka certificate preview` uses (Sources/ObukaCLI/CertificateCommand.swift).
const FIELDS = [
    'completed_word' => 'završila',
    'program_title' => 'Program obuke rukovodilaca/službenika Brčko distrikta BiH za saradnju sa dijasporom',
    'modules' => '1. Migracije i razvoj; 2. Međusektorska saradnja i mobilizacija dijaspore; 3. Usluge dijaspori',
    'hours' => '24 sata',
    'issued_on' => '25. 11. 2026.',
    'place' => 'Brčko',
    'registry_number' => '01-11-1234/26',
    'signatory_name' => 'Amra Hadžić',
    'signatory_title' => 'Šefica Odjeljenja',
    'provider' => 'Odjeljenje za evropske integracije i međunarodnu saradnju',
    'provider_cyrillic' => 'Одјељење за европске интеграције и међународну сарадњу',
];

// Certificates/uvjerenje-bs.xml: x, y, width, height (0: none) in mm; size and min size in points;
// font (TCPDF family); style ('', 'B', 'I'); alignment; colour; text with {placeholders}.
const BLOCKS = [
    [18, 14, 125, 0, 9.5, null, 'dejavusans', '', 'L', [0, 0, 0],
        "Bosna i Hercegovina\nBrčko distrikt Bosne i Hercegovine\nVlada Brčko distrikta BiH\n{provider}"],
    [154, 14, 125, 0, 9.5, null, 'dejavusans', '', 'R', [0, 0, 0],
        "Босна и Херцеговина\nБрчко дистрикт Босне и Херцеговине\nВлада Брчко дистрикта БиХ\n{provider_cyrillic}"],
    [18, 42, 130, 0, 9.5, null, 'dejavusans', '', 'L', [0, 0, 0], "Broj: {registry_number}\n{place}, {issued_on}"],
    [18, 58, 261, 0, 30, null, 'dejavuserif', 'B', 'C', [0x1f, 0x3a, 0x5f], 'UVJERENJE'],
    [18, 73, 261, 0, 12, null, 'dejavuserif', 'I', 'C', [0, 0, 0], 'o završenom programu obuke'],
    [28, 86, 241, 24, 26, 12, 'dejavuserif', 'B', 'C', [0, 0, 0], '{full_name}'],
    [28, 112, 241, 0, 12, null, 'dejavuserif', '', 'C', [0, 0, 0], '{completed_word} je program obuke'],
    [28, 120, 241, 16, 14, 9, 'dejavuserif', 'B', 'C', [0, 0, 0], '{program_title}'],
    [28, 138, 241, 18, 10.5, 7, 'dejavuserif', '', 'C', [0, 0, 0],
        'u ukupnom trajanju od {hours}, kroz module: {modules}'],
    [170, 164, 90, 0, 10.5, null, 'dejavuserif', '', 'C', [0, 0, 0], "{signatory_title}\n\n{signatory_name}"],
    [18, 168, 120, 0, 8, null, 'dejavusans', '', 'L', [0, 0, 0],
        "Broj uvjerenja: {serial}\nVjerodostojnost provjerite na:\n{verify_url}"],
];
const QR = [18, 183, 22]; // x, y, size in mm

// DejaVu's ascent + descent (928 + 236 per 1000): the line height pango gives these fonts.
const LINE_HEIGHT_RATIO = 1.164;
// The issue date, 2026-11-25, as the document's creation and modification date.
const ISSUED = '2026-11-25 00:00:00 UTC';

function fill(string $text, array $fields): string
{
    return preg_replace_callback('/\{([a-z_]+)\}/', fn($m) => $fields[$m[1]] ?? '', $text);
}

function certificate(array $fields, string $seed): string
{
    $pdf = new CertificatePDF('L', 'mm', 'A4', true, 'UTF-8', false);
    $pdf->fixFileID($seed);
    $pdf->setDocCreationTimestamp(ISSUED);
    $pdf->setDocModificationTimestamp(ISSUED);
    $pdf->setCreator('TCPDF');
    $pdf->setAuthor('Brčko distrikt BiH');
    $pdf->setTitle('Uvjerenje o završenom programu obuke');
    $pdf->setSubject($fields['full_name']);
    $pdf->setKeywords('certificate ' . $fields['serial']);
    $pdf->setPrintHeader(false);
    $pdf->setPrintFooter(false);
    $pdf->setMargins(0, 0, 0);
    $pdf->setCellPaddings(0, 0, 0, 0);
    $pdf->setCellMargins(0, 0, 0, 0);
    $pdf->setAutoPageBreak(false);
    $pdf->setCellHeightRatio(LINE_HEIGHT_RATIO);
    $pdf->AddPage();

    foreach (BLOCKS as [$x, $y, $width, $height, $size, $minSize, $font, $style, $align, $colour, $text]) {
        $text = fill($text, $fields);
        if ($text === '') {
            continue;
        }
        $pdf->setFont($font, $style, $size);
        $pdf->setTextColor(...$colour);
        if ($height > 0) {
            // TCPDF's own shrink-to-fit: the font gets smaller until the text fits the box's height.
            $pdf->MultiCell($width, $height, $text, 0, $align, false, 1, $x, $y, true, 0, false, false, $height, 'T', true);
        } else {
            $pdf->MultiCell($width, 0, $text, 0, $align, false, 1, $x, $y, true, 0, false, false, 0, 'T', false);
        }
    }

    [$qx, $qy, $qsize] = QR;
    // 'padding' => 'auto' leaves four modules of quiet zone inside the square, as obuka does.
    $pdf->write2DBarcode($fields['verify_url'], 'QRCODE,M', $qx, $qy, $qsize, $qsize,
        ['border' => false, 'padding' => 'auto', 'fgcolor' => [0, 0, 0], 'bgcolor' => [255, 255, 255]], 'N');

    return $pdf->Output('', 'S');
}

$input = fopen($csvPath, 'rb');
if ($input === false) {
    fwrite(STDERR, "tcpdf-certificates.php: cannot read $csvPath\n");
    exit(1);
}
if (!is_dir($outDir) && !mkdir($outDir, 0777, true)) {
    fwrite(STDERR, "tcpdf-certificates.php: cannot create $outDir\n");
    exit(1);
}

$header = fgetcsv($input, 0, ';', '"', '');
if ($header === false || $header === [null]) {
    fwrite(STDERR, "tcpdf-certificates.php: $csvPath is empty\n");
    exit(1);
}
$header[0] = preg_replace('/^\xEF\xBB\xBF/', '', $header[0]);
$header = array_map('trim', $header);
$columns = array_flip($header);
foreach (['serial', 'name', 'verify_url'] as $column) {
    if (!isset($columns[$column])) {
        fwrite(STDERR, "tcpdf-certificates.php: $csvPath has no '$column' column (header: serial;name;verify_url)\n");
        exit(1);
    }
}

$count = 0;
while (($row = fgetcsv($input, 0, ';', '"', '')) !== false) {
    if ($row === [null]) {
        continue; // blank line
    }
    $serial = trim($row[$columns['serial']] ?? '');
    if ($serial === '' || !preg_match('/^[A-Za-z0-9._-]+$/', $serial)) {
        fwrite(STDERR, "tcpdf-certificates.php: bad serial '$serial' on data row " . ($count + 1) . "\n");
        exit(1);
    }
    $fields = FIELDS + [
        'serial' => $serial,
        'full_name' => trim($row[$columns['name']] ?? ''),
        'verify_url' => trim($row[$columns['verify_url']] ?? ''),
    ];
    $path = $outDir . '/' . $serial . '.pdf';
    if (file_put_contents($path, certificate($fields, $serial)) === false) {
        fwrite(STDERR, "tcpdf-certificates.php: cannot write $path\n");
        exit(1);
    }
    $count++;
}
fclose($input);
fwrite(STDERR, "tcpdf-certificates.php: $count certificates in $outDir\n");
