<?xml version="1.0" encoding="UTF-8"?>
<!--
  Renders Arkiv's OAI-PMH responses as pages, for people who open /oai in a browser.
  Harvesters never see it: they ignore the xml-stylesheet instruction. XSLT 1.0, which
  browsers apply natively. Every link goes back to the endpoint named in the response's
  request element, so the pages work behind any proxy.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:oai="http://www.openarchives.org/OAI/2.0/"
    xmlns:id="http://www.openarchives.org/OAI/2.0/oai-identifier"
    exclude-result-prefixes="oai id">

  <xsl:output method="html" encoding="UTF-8" indent="yes" doctype-system="about:legacy-compat"/>

  <xsl:variable name="base" select="/oai:OAI-PMH/oai:request"/>
  <xsl:variable name="verb" select="/oai:OAI-PMH/oai:request/@verb"/>
  <!-- oai.css lies beside this stylesheet, whose address the response's xml-stylesheet
       instruction gives (href="/static/catalog/oai.xsl"); a relative address would be read
       against the endpoint's. -->
  <xsl:variable name="css" select="concat(substring-before(substring-after(
      /processing-instruction('xml-stylesheet'), 'href=&quot;'), 'oai.xsl&quot;'), 'oai.css')"/>

  <xsl:template match="/">
    <html lang="en">
      <head>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>OAI-PMH<xsl:if test="$verb"> · <xsl:value-of select="$verb"/></xsl:if></title>
        <link rel="stylesheet" href="{$css}"/>
      </head>
      <body>
        <header>
          <h1>OAI-PMH repository</h1>
          <p class="muted">This address serves harvesters (OAI-PMH 2.0). What follows is the
            machine-readable answer laid out for reading.</p>
          <nav>
            <a href="{$base}?verb=Identify">Identify</a>
            <a href="{$base}?verb=ListMetadataFormats">Formats</a>
            <a href="{$base}?verb=ListSets">Sets</a>
            <a href="{$base}?verb=ListIdentifiers&amp;metadataPrefix=oai_dc">Identifiers</a>
            <a href="{$base}?verb=ListRecords&amp;metadataPrefix=oai_dc">Records</a>
          </nav>
        </header>
        <main>
          <p class="muted">Response of <xsl:value-of select="oai:OAI-PMH/oai:responseDate"/>
            <xsl:if test="$verb"> to <code><xsl:value-of select="$verb"/></code></xsl:if>.</p>
          <xsl:apply-templates select="oai:OAI-PMH/oai:error"/>
          <xsl:apply-templates select="oai:OAI-PMH/oai:Identify | oai:OAI-PMH/oai:ListMetadataFormats
              | oai:OAI-PMH/oai:ListSets | oai:OAI-PMH/oai:ListIdentifiers
              | oai:OAI-PMH/oai:ListRecords | oai:OAI-PMH/oai:GetRecord"/>
        </main>
        <footer><p class="muted"><a href="/">Back to the catalogue</a></p></footer>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="oai:error">
    <div class="error">
      <strong><xsl:value-of select="@code"/></strong>: <xsl:value-of select="."/>
    </div>
  </xsl:template>

  <xsl:template match="oai:Identify">
    <h2><xsl:value-of select="oai:repositoryName"/></h2>
    <table>
      <xsl:for-each select="oai:*[not(self::oai:description)]">
        <tr><th><xsl:value-of select="local-name()"/></th><td><xsl:value-of select="."/></td></tr>
      </xsl:for-each>
      <xsl:for-each select="oai:description/id:oai-identifier/id:*">
        <tr><th><xsl:value-of select="local-name()"/></th><td><xsl:value-of select="."/></td></tr>
      </xsl:for-each>
    </table>
  </xsl:template>

  <xsl:template match="oai:ListMetadataFormats">
    <h2>Metadata formats</h2>
    <table>
      <tr><th>Prefix</th><th>Namespace</th><th>Schema</th></tr>
      <xsl:for-each select="oai:metadataFormat">
        <tr>
          <td><a href="{$base}?verb=ListRecords&amp;metadataPrefix={oai:metadataPrefix}"><xsl:value-of select="oai:metadataPrefix"/></a></td>
          <td><xsl:value-of select="oai:metadataNamespace"/></td>
          <td><a href="{oai:schema}"><xsl:value-of select="oai:schema"/></a></td>
        </tr>
      </xsl:for-each>
    </table>
  </xsl:template>

  <xsl:template match="oai:ListSets">
    <h2>Sets</h2>
    <table>
      <tr><th>setSpec</th><th>Name</th></tr>
      <xsl:for-each select="oai:set">
        <tr>
          <td><a href="{$base}?verb=ListRecords&amp;metadataPrefix=oai_dc&amp;set={oai:setSpec}"><xsl:value-of select="oai:setSpec"/></a></td>
          <td><xsl:value-of select="oai:setName"/></td>
        </tr>
      </xsl:for-each>
    </table>
    <xsl:apply-templates select="oai:resumptionToken"/>
  </xsl:template>

  <xsl:template match="oai:ListIdentifiers | oai:ListRecords | oai:GetRecord">
    <h2><xsl:value-of select="local-name()"/></h2>
    <xsl:apply-templates select="oai:header | oai:record"/>
    <xsl:apply-templates select="oai:resumptionToken"/>
  </xsl:template>

  <xsl:template match="oai:record">
    <div class="record">
      <xsl:if test="oai:header/@status = 'deleted'"><xsl:attribute name="class">record deleted</xsl:attribute></xsl:if>
      <xsl:apply-templates select="oai:header" mode="fields"/>
      <xsl:if test="oai:metadata">
        <table>
          <xsl:for-each select="oai:metadata/*/*">
            <tr><th><xsl:value-of select="name()"/></th><td><xsl:value-of select="."/></td></tr>
          </xsl:for-each>
        </table>
      </xsl:if>
    </div>
  </xsl:template>

  <xsl:template match="oai:header">
    <div class="record">
      <xsl:if test="@status = 'deleted'"><xsl:attribute name="class">record deleted</xsl:attribute></xsl:if>
      <xsl:apply-templates select="." mode="fields"/>
    </div>
  </xsl:template>

  <xsl:template match="oai:header" mode="fields">
    <p>
      <a href="{$base}?verb=GetRecord&amp;metadataPrefix=oai_dc&amp;identifier={oai:identifier}"><xsl:value-of select="oai:identifier"/></a>
      <xsl:if test="@status = 'deleted'"> <strong> (deleted)</strong></xsl:if>
      <br/><span class="muted">Datestamp <xsl:value-of select="oai:datestamp"/>
      <xsl:for-each select="oai:setSpec"> · <a href="{$base}?verb=ListIdentifiers&amp;metadataPrefix=oai_dc&amp;set={.}"><xsl:value-of select="."/></a></xsl:for-each></span>
    </p>
  </xsl:template>

  <xsl:template match="oai:resumptionToken">
    <p>
      <xsl:if test="@completeListSize">
        <xsl:value-of select="@cursor + 1"/>–<xsl:value-of select="@cursor + count(../oai:header | ../oai:record | ../oai:set)"/>
        of <xsl:value-of select="@completeListSize"/>.
      </xsl:if>
      <xsl:if test="string(.)">
        <a rel="next" href="{$base}?verb={$verb}&amp;resumptionToken={.}">Next page</a>
        <xsl:if test="@expirationDate"> <span class="muted"> (link valid until <xsl:value-of select="@expirationDate"/>)</span></xsl:if>
      </xsl:if>
    </p>
  </xsl:template>
</xsl:stylesheet>
